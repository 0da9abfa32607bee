package dev.gatehouse.proxy;

/**
 * Fired on every client connection when the server starts shutting down: idle HTTP/1.1 connections close,
 * busy ones (a request body being buffered is busy too) close after their response, HTTP/2 connections send
 * GOAWAY and finish their streams.
 */
enum DrainEvent {
  INSTANCE
}
