package dev.gatehouse.proxy;

import dev.gatehouse.config.Limits;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import java.time.Duration;

/**
 * What {@link StrictRequestFraming} accepts, from RFC 9112 and RFC 9110, with nothing left to a later
 * parser's leniency:
 *
 * <ul>
 *   <li>request line: {@code token SP target SP HTTP/1.x}, one space each (RFC 9112 §3);
 *   <li>every line ends in CRLF (§2.2); no obs-fold (§5.2); a field name is a token right before its colon
 *       (§5.1: no whitespace before the colon); values hold no CTL but HTAB (RFC 9110 §5.5: NUL, CR, LF);
 *   <li>at most one {@code Content-Length}, plain digits; at most one {@code Transfer-Encoding}, exactly
 *       {@code chunked}, never next to {@code Content-Length} and never in HTTP/1.0 (§6.1, §6.3); one {@code
 *       Host} (§3.2);
 *   <li>chunk sizes: 1 to 16 hex digits, then CRLF or an extension (§7.1); data followed by CRLF; no framing
 *       fields in trailers (RFC 9110 §6.5.1).
 * </ul>
 *
 * @param maxInitialLineBytes longest request line (414 beyond)
 * @param maxHeaderBytes largest header section, each line with its CRLF (431 beyond)
 * @param maxHeaderCount most header fields (431 beyond)
 * @param headerReadTimeout time from a head's first byte (or the connection's start) to its end
 * @param bodyIdleTimeout longest pause in a body while Gatehouse waits for it
 */
record FramingRules(
    int maxInitialLineBytes,
    int maxHeaderBytes,
    int maxHeaderCount,
    Duration headerReadTimeout,
    Duration bodyIdleTimeout) {

  /** A chunk-size line with its extensions; nginx and Netty have no extension that needs more. */
  static final int MAX_CHUNK_LINE_BYTES = 1024;

  /** Hex digits in a chunk size: 16 is a 64-bit length, more is only an overflow attempt. */
  static final int MAX_CHUNK_SIZE_DIGITS = 16;

  /** Digits in a Content-Length: up to 10^18 bytes, beyond any {@code --max-body}; more overflows a long. */
  static final int MAX_CONTENT_LENGTH_DIGITS = 18;

  /** RFC 9112 §2.2 asks servers to ignore "at least one" empty line before a request; a few, then 400. */
  static final int MAX_EMPTY_LINES_BEFORE_REQUEST = 4;

  static FramingRules of(Limits limits) {
    return new FramingRules(
        limits.maxInitialLineBytes(), limits.maxHeaderBytes(), limits.maxHeaderCount(), limits.headerReadTimeout(),
        limits.bodyIdleTimeout());
  }

  /** How the body of a checked head is framed. */
  record Framing(boolean chunked, long length) {}

  /** RFC 9110 §5.6.2 tchar. */
  static boolean isTokenChar(int b) {
    return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9')
        || "!#$%&'*+-.^_`|~".indexOf(b) >= 0;
  }

  /** RFC 9110 §5.5: CTLs other than HTAB (NUL, CR, LF among them) and DEL are never part of a value. */
  static boolean isForbiddenInValue(int b) {
    return (b < 0x20 && b != '\t') || b == 0x7f;
  }

  /** RFC 9112 §7.1: {@code chunk-size [ chunk-ext ]}; returns the size. */
  static long chunkSize(byte[] line, int length) {
    int digits = 0;
    long size = 0;
    while (digits < length && Character.digit(line[digits], 16) >= 0 && line[digits] < 0x80) {
      size = (size << 4) | Character.digit(line[digits], 16);
      digits++;
    }
    if (digits == 0 || digits > MAX_CHUNK_SIZE_DIGITS || size < 0) {
      throw new CorruptedFrameException("invalid chunk size");
    }
    if (digits < length) {
      if (line[digits] != ';') {
        throw new CorruptedFrameException("invalid character after chunk size");
      }
      for (int i = digits + 1; i < length; i++) {
        if (isForbiddenInValue(line[i] & 0xff)) {
          throw new CorruptedFrameException("control character in chunk extension");
        }
      }
    }
    return size;
  }

  /** The framing facts of one request head, gathered field by field. */
  static final class Head {
    private final FramingRules rules;
    private final boolean http10;
    private int headerBytes;
    private int headerCount;
    private long contentLength = -1;
    private boolean chunked;
    private boolean transferEncodingSeen;
    private boolean hostSeen;
    private boolean upgrade;

    private Head(FramingRules rules, boolean http10) {
      this.rules = rules;
      this.http10 = http10;
    }

    /** Checks a request line (CRLF removed). */
    static Head of(FramingRules rules, byte[] line, int length) {
      int i = 0;
      while (i < length && isTokenChar(line[i])) {
        i++;
      }
      if (i == 0 || i == length || line[i] != ' ') {
        throw new CorruptedFrameException("invalid method in request line");
      }
      int targetStart = ++i;
      while (i < length && line[i] != ' ') {
        int b = line[i] & 0xff;
        if (b <= 0x20 || b == 0x7f) {
          throw new CorruptedFrameException("invalid character in request target");
        }
        i++;
      }
      if (i == targetStart || i == length) {
        throw new CorruptedFrameException("request line without target or version");
      }
      String version = StrictRequestFraming.ascii(line, i + 1, length - i - 1);
      if (!version.equals("HTTP/1.1") && !version.equals("HTTP/1.0")) {
        throw new CorruptedFrameException("unsupported HTTP version");
      }
      return new Head(rules, version.equals("HTTP/1.0"));
    }

    int headerBytes() {
      return headerBytes;
    }

    boolean upgrade() {
      return upgrade;
    }

    /** The chunked body's trailer section starts; it gets the header limits anew. */
    void startTrailers() {
      headerBytes = 0;
      headerCount = 0;
    }

    /** Checks one field line (CRLF removed). */
    void field(byte[] line, int length, boolean inHeader) {
      headerBytes += length + 2;
      if (headerBytes > rules.maxHeaderBytes()) {
        throw new TooLongHttpHeaderException("header section over " + rules.maxHeaderBytes() + " bytes");
      }
      if (++headerCount > rules.maxHeaderCount()) {
        throw new TooLongHttpHeaderException("more than " + rules.maxHeaderCount() + " header fields");
      }
      int colon = 0;
      while (colon < length && isTokenChar(line[colon])) {
        colon++;
      }
      if (colon == 0 || colon == length || line[colon] != ':') {
        boolean fold = colon == 0 && (line[0] == ' ' || line[0] == '\t');
        throw new CorruptedFrameException(fold ? "obs-fold line" : "invalid field name or space before colon");
      }
      for (int i = colon + 1; i < length; i++) {
        if (isForbiddenInValue(line[i] & 0xff)) {
          throw new CorruptedFrameException("control character in a field value");
        }
      }
      int from = colon + 1;
      int to = length;
      while (from < to && (line[from] == ' ' || line[from] == '\t')) {
        from++;
      }
      while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t')) {
        to--;
      }
      // Only the names below matter here; most fields are skipped by length before any String is made.
      if (colon != 4 && colon != 7 && colon != 14 && colon != 17) {
        return;
      }
      String name = StrictRequestFraming.ascii(line, 0, colon);
      if (!inHeader) {
        if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding")
            || name.equalsIgnoreCase("host")) {
          throw new CorruptedFrameException("framing field in a trailer");
        }
        return;
      }
      if (name.equalsIgnoreCase("content-length")) {
        contentLength(line, from, to);
      } else if (name.equalsIgnoreCase("transfer-encoding")) {
        if (transferEncodingSeen
            || !StrictRequestFraming.ascii(line, from, to - from).equalsIgnoreCase("chunked")) {
          throw new CorruptedFrameException("Transfer-Encoding other than a single chunked");
        }
        transferEncodingSeen = true;
        chunked = true;
      } else if (name.equalsIgnoreCase("host")) {
        if (hostSeen) {
          throw new CorruptedFrameException("more than one Host");
        }
        hostSeen = true;
      } else if (name.equalsIgnoreCase("upgrade")) {
        upgrade = true;
      }
    }

    private void contentLength(byte[] line, int from, int to) {
      if (contentLength >= 0) {
        throw new CorruptedFrameException("more than one Content-Length");
      }
      if (from == to || to - from > MAX_CONTENT_LENGTH_DIGITS) {
        throw new CorruptedFrameException("invalid Content-Length");
      }
      long value = 0;
      for (int i = from; i < to; i++) {
        if (line[i] < '0' || line[i] > '9') {
          throw new CorruptedFrameException("invalid Content-Length");
        }
        value = value * 10 + (line[i] - '0');
      }
      contentLength = value;
    }

    /** The body framing once the head is complete. */
    Framing framing() {
      if (chunked && contentLength >= 0) {
        throw new CorruptedFrameException("both Content-Length and Transfer-Encoding");
      }
      if (chunked && http10) {
        throw new CorruptedFrameException("Transfer-Encoding in HTTP/1.0");
      }
      return new Framing(chunked, Math.max(0, contentLength));
    }
  }
}
