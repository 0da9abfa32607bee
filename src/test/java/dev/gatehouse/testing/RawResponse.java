package dev.gatehouse.testing;

import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.x response exactly as received: the status line, header fields in order, the
 * body after de-chunking, and the raw bytes of the whole message.
 */
public record RawResponse(String statusLine, int status, Headers headers, byte[] body, byte[] raw) {

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The first value of a header, or {@code null}. */
  public String header(String name) {
    return headers.value(name);
  }

  /** The whole message as ISO-8859-1 text (bytes preserved one to one). */
  public String rawText() {
    return new String(raw, StandardCharsets.ISO_8859_1);
  }

  @Override
  public String toString() {
    return statusLine + "\n" + headers;
  }
}
