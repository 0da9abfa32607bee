package dev.gatehouse.nginx;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which programs listen on a TCP port, from Linux's {@code /proc}: the listening sockets of {@code
 * /proc/net/tcp} and {@code tcp6} (proc(5)), matched by inode to the {@code socket:[INODE]} links of each
 * process's {@code fd/}. Seeing other users' processes needs root, as {@code ss -p} does.
 */
public final class PortOwners {

  /** The {@code st} column of a socket in LISTEN state (include/net/tcp_states.h: TCP_LISTEN = 10). */
  private static final String LISTEN = "0A";

  private final Path proc;

  public PortOwners() {
    this(Path.of("/proc"));
  }

  PortOwners(Path proc) {
    this.proc = proc;
  }

  /**
   * What listens on {@code port}.
   *
   * @param listening whether any socket listens on the port (any address)
   * @param programs the {@code comm} names of the processes holding those sockets, as far as visible
   */
  public record Listeners(boolean listening, Set<String> programs) {}

  public Listeners listeners(int port) throws IOException {
    Set<String> inodes = new HashSet<>();
    for (String table : List.of("net/tcp", "net/tcp6")) {
      Path file = proc.resolve(table);
      if (!Files.isReadable(file)) {
        continue;
      }
      for (String line : Files.readAllLines(file)) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 10 || !f[3].equals(LISTEN)) {
          continue;
        }
        String local = f[1];
        int colon = local.lastIndexOf(':');
        if (colon > 0 && Integer.parseInt(local.substring(colon + 1), 16) == port) {
          inodes.add(f[9]);
        }
      }
    }
    Set<String> programs = new TreeSet<>();
    if (!inodes.isEmpty()) {
      try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
        for (Path pid : pids) {
          if (holdsAny(pid, inodes)) {
            programs.add(comm(pid));
          }
        }
      }
    }
    return new Listeners(!inodes.isEmpty(), programs);
  }

  private static boolean holdsAny(Path pid, Set<String> inodes) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(pid.resolve("fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
            return true;
          }
        } catch (IOException e) {
          // the descriptor closed while we looked
        }
      }
    } catch (IOException e) {
      // another user's process, or it exited: not visible
    }
    return false;
  }

  private static String comm(Path pid) {
    try {
      return Files.readString(pid.resolve("comm")).trim().toLowerCase(Locale.ROOT);
    } catch (IOException e) {
      return "pid " + pid.getFileName();
    }
  }
}
