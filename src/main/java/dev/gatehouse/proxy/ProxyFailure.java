package dev.gatehouse.proxy;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Every way a request can end in an error page, with the status it gets. {@link ErrorPages} is the one
 * place that maps causes (decoder errors, upstream failures) onto these.
 */
enum ProxyFailure {
  BAD_REQUEST(HttpResponseStatus.BAD_REQUEST, "The request could not be understood."),
  NOT_FOUND(HttpResponseStatus.NOT_FOUND, "There is no file at this address."),
  METHOD_NOT_ALLOWED(HttpResponseStatus.METHOD_NOT_ALLOWED, "Files here can only be read (GET or HEAD)."),
  EXPECTATION_FAILED(HttpResponseStatus.EXPECTATION_FAILED, "Only the expectation 100-continue is supported."),
  /** RFC 9110 §15.5.20: the connection reached a server that does not serve this host name. */
  MISDIRECTED(HttpResponseStatus.MISDIRECTED_REQUEST, "This server is not configured for that host name."),
  BODY_TOO_LARGE(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "The request body is larger than this server accepts."),
  URI_TOO_LONG(HttpResponseStatus.REQUEST_URI_TOO_LONG, "The request line is longer than this server accepts."),
  HEADERS_TOO_LARGE(
      HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "The request headers are larger than this server accepts."),
  RANGE_NOT_SATISFIABLE(HttpResponseStatus.REQUESTED_RANGE_NOT_SATISFIABLE, "The requested range is not in the file."),
  INTERNAL_ERROR(HttpResponseStatus.INTERNAL_SERVER_ERROR, "The proxy failed to handle this request."),
  UPSTREAM_UNREACHABLE(HttpResponseStatus.BAD_GATEWAY, "The application server could not be reached."),
  UPSTREAM_BROKEN(HttpResponseStatus.BAD_GATEWAY, "The application server did not send a valid response."),
  UPSTREAM_TIMEOUT(HttpResponseStatus.GATEWAY_TIMEOUT, "The application server did not answer in time."),
  UNAVAILABLE(HttpResponseStatus.SERVICE_UNAVAILABLE, "The server is shutting down.");

  private final HttpResponseStatus status;
  private final String explanation;

  ProxyFailure(HttpResponseStatus status, String explanation) {
    this.status = status;
    this.explanation = explanation;
  }

  HttpResponseStatus status() {
    return status;
  }

  String explanation() {
    return explanation;
  }
}
