package dev.gatehouse.tls;

/**
 * A user event {@link SniCertificateHandler} fires down the pipeline when it ends a connection before a TLS
 * handshake could start, so the handlers after it (metrics) learn why; the connection is closing.
 */
public enum HandshakeRejected {
  /** The ClientHello named no name this server has a certificate for (RFC 6066 §3 unrecognized_name). */
  UNKNOWN_NAME,
  /** No ClientHello within the handshake timeout. */
  TIMEOUT
}
