package dev.gatehouse.proxy;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One satisfiable byte range of a file (RFC 9110 §14.1.2). Several ranges in one request are answered
 * with the whole file, which §14.2 allows; that spares multipart/byteranges and the overlapping-range
 * amplification it invites.
 *
 * @param first offset of the first byte
 * @param last offset of the last byte, inclusive
 */
record ByteRange(long first, long last) {

  /** A first-byte or last-byte position: digits, at most 18 so that it fits a long. */
  private static final Pattern POSITION = Pattern.compile("[0-9]{0,18}");

  /** How a Range header applies to a file. */
  sealed interface Result {}

  /** Serve the whole file: no Range, several ranges, another unit, or a syntax error (§14.2: ignore it). */
  record Whole() implements Result {}

  /** 206 with this range. */
  record Partial(ByteRange range) implements Result {}

  /** 416: the range starts past the end of the file. */
  record Unsatisfiable() implements Result {}

  long length() {
    return last - first + 1;
  }

  String contentRange(long size) {
    return "bytes " + first + "-" + last + "/" + size;
  }

  static Result parse(Optional<String> header, long size) {
    if (header.isEmpty()) {
      return new Whole();
    }
    String value = header.get().trim();
    if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
      return new Whole();
    }
    String spec = value.substring(6).trim();
    if (spec.contains(",")) {
      return new Whole();
    }
    int dash = spec.indexOf('-');
    if (dash < 0) {
      return new Whole();
    }
    String a = spec.substring(0, dash).trim();
    String b = spec.substring(dash + 1).trim();
    if (!POSITION.matcher(a).matches() || !POSITION.matcher(b).matches() || (a.isEmpty() && b.isEmpty())) {
      return new Whole();
    }
    if (a.isEmpty()) {
      long suffix = Long.parseLong(b);
      if (suffix == 0 || size == 0) {
        return new Unsatisfiable();
      }
      return new Partial(new ByteRange(Math.max(0, size - suffix), size - 1));
    }
    long first = Long.parseLong(a);
    if (!b.isEmpty() && Long.parseLong(b) < first) {
      return new Whole();
    }
    if (first >= size) {
      return new Unsatisfiable();
    }
    long last = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
    return new Partial(new ByteRange(first, last));
  }
}
