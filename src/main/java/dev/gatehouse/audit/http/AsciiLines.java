package dev.gatehouse.audit.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;

/** Reads the CRLF-terminated lines of HTTP/1.1 framing (RFC 9112 §2.2: a bare LF is accepted too). */
final class AsciiLines {
  private AsciiLines() {}

  /**
   * Reads one line without its terminator.
   *
   * @param maxBytes longest line accepted
   * @throws EOFException when the stream ends before a line terminator
   * @throws ProtocolException when the line is longer than {@code maxBytes}
   */
  static String readLine(InputStream in, int maxBytes) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed after " + line.size() + " bytes of a line");
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        // ISO-8859-1 maps every byte to one char: header values are opaque octets (RFC 9110 §5.5).
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
      }
      if (line.size() >= maxBytes) {
        throw new ProtocolException("line longer than " + maxBytes + " bytes");
      }
      line.write(b);
    }
  }
}
