package dev.gatehouse.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maps a URL path under a static mount to a file inside the mount's directory, and nothing else. The path is
 * split on {@code /} before percent-decoding, so an encoded {@code %2f} or {@code %5c} can never introduce a
 * separator; decoded segments that are empty, {@code .} or {@code ..}, or that hold {@code /}, {@code \},
 * NUL or other control characters, are refused; and the resolved file's real path (symlinks followed) must
 * still be inside the directory's real path.
 */
final class StaticPaths {
  private StaticPaths() {}

  /** The decoded segments of {@code rawPath} (after the mount prefix), or empty if it is malformed. */
  static Optional<List<String>> segments(String rawPath) {
    if (rawPath.isEmpty() || rawPath.indexOf('\\') >= 0) {
      return Optional.empty();
    }
    List<String> segments = new ArrayList<>();
    for (String raw : rawPath.split("/", -1)) {
      Optional<String> decoded = percentDecode(raw);
      if (decoded.isEmpty()) {
        return Optional.empty();
      }
      String segment = decoded.get();
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return Optional.empty();
      }
      for (int i = 0; i < segment.length(); i++) {
        char c = segment.charAt(i);
        if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
          return Optional.empty();
        }
      }
      segments.add(segment);
    }
    return Optional.of(segments);
  }

  /**
   * The regular file for {@code segments} inside {@code root}, or empty when there is none or it resolves
   * outside {@code root}. Blocking file system calls: run off the event loop.
   */
  static Optional<Path> resolve(Path root, List<String> segments) {
    Path realRoot;
    try {
      realRoot = root.toRealPath();
    } catch (IOException e) {
      return Optional.empty();
    }
    Path candidate = realRoot;
    try {
      for (String segment : segments) {
        candidate = candidate.resolve(segment);
      }
    } catch (InvalidPathException e) {
      return Optional.empty();
    }
    Path real;
    try {
      real = candidate.toRealPath();
    } catch (IOException e) {
      return Optional.empty();
    }
    if (!real.startsWith(realRoot) || !Files.isRegularFile(real)) {
      return Optional.empty();
    }
    return Optional.of(real);
  }

  /** Strict RFC 3986 percent-decoding into UTF-8; malformed escapes or invalid UTF-8 are refused. */
  private static Optional<String> percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return Optional.of(s);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '%') {
        bytes.write(c);
        continue;
      }
      if (i + 2 >= s.length()) {
        return Optional.empty();
      }
      int hi = Character.digit(s.charAt(i + 1), 16);
      int lo = Character.digit(s.charAt(i + 2), 16);
      if (hi < 0 || lo < 0) {
        return Optional.empty();
      }
      bytes.write(hi << 4 | lo);
      i += 2;
    }
    try {
      return Optional.of(
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes.toByteArray()))
              .toString());
    } catch (CharacterCodingException e) {
      return Optional.empty();
    }
  }
}
