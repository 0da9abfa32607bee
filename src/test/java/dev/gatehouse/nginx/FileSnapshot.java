package dev.gatehouse.nginx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Every entry under some directories: bytes, link target, mode and owner. Equal snapshots mean "byte for byte". */
public final class FileSnapshot {
  private FileSnapshot() {}

  public static Map<String, String> of(Path... dirs) {
    Map<String, String> all = new TreeMap<>();
    for (Path dir : dirs) {
      try (Stream<Path> walk = Files.walk(dir)) {
        walk.forEach(p -> all.put(p.toString(), describe(p)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return all;
  }

  private static String describe(Path p) {
    try {
      String owner = Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS) + ":"
          + Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
      if (Files.isSymbolicLink(p)) {
        return "link -> " + Files.readSymbolicLink(p) + " " + owner;
      }
      String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
      if (Files.isDirectory(p)) {
        return "dir " + mode + " " + owner;
      }
      return "file " + mode + " " + owner + " " + Base64.getEncoder().encodeToString(Files.readAllBytes(p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
