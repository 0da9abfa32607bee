package dev.gatehouse.audit.http;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;

/**
 * Decodes the chunked transfer coding (RFC 9112 §7.1): size line in hex (extensions ignored), data, CRLF,
 * until the zero-size chunk; trailer fields are read and dropped. Not thread-safe.
 */
final class ChunkedBodyInputStream extends InputStream {
  /** Longest chunk-size line or trailer line accepted; real ones are a few bytes. */
  private static final int MAX_LINE_BYTES = 4096;

  private final InputStream in;
  private long remainingInChunk;
  private boolean finished;

  ChunkedBodyInputStream(InputStream in) {
    this.in = in;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] buffer, int offset, int length) throws IOException {
    if (finished) {
      return -1;
    }
    if (remainingInChunk == 0) {
      remainingInChunk = nextChunkSize();
      if (remainingInChunk == 0) {
        skipTrailers();
        finished = true;
        return -1;
      }
    }
    int n = in.read(buffer, offset, (int) Math.min(length, remainingInChunk));
    if (n < 0) {
      throw new EOFException("connection closed inside a chunk");
    }
    remainingInChunk -= n;
    if (remainingInChunk == 0) {
      String crlf = AsciiLines.readLine(in, MAX_LINE_BYTES);
      if (!crlf.isEmpty()) {
        throw new ProtocolException("chunk not followed by CRLF");
      }
    }
    return n;
  }

  private long nextChunkSize() throws IOException {
    String line = AsciiLines.readLine(in, MAX_LINE_BYTES);
    int semicolon = line.indexOf(';');
    String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).trim();
    try {
      long size = Long.parseLong(hex, 16);
      if (size < 0) {
        throw new ProtocolException("negative chunk size: " + line);
      }
      return size;
    } catch (NumberFormatException e) {
      throw new ProtocolException("invalid chunk size line: '" + line + "'");
    }
  }

  private void skipTrailers() throws IOException {
    while (!AsciiLines.readLine(in, MAX_LINE_BYTES).isEmpty()) {
      // Trailer fields carry nothing the audit looks at.
    }
  }
}
