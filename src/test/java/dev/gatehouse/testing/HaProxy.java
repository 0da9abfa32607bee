package dev.gatehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * HAProxy from Debian as a round-robin TCP balancer in front of several nodes ({@code mode tcp}: TLS passes
 * through, so each node terminates it and answers tls-alpn-01 itself). Each frontend listens on
 * 127.0.0.1:{@code port} and spreads connections over 127.0.0.1:{@code backendPorts}. Backends are health
 * checked every {@value #CHECK_INTERVAL_MS} ms and a connection refused by a dead one is re-dispatched to
 * another, as in a production setup; runs in the foreground (master-worker off) as a child of the test.
 *
 * <pre>{@code
 * try (HaProxy balancer = HaProxy.start(Map.of(80, List.of(8081, 8082)))) { ... }
 * }</pre>
 */
public final class HaProxy implements AutoCloseable {

  public static final Duration START_TIMEOUT = Duration.ofSeconds(15);
  static final int CHECK_INTERVAL_MS = 300;

  private final Path dir;
  private final ManagedProcess process;

  private HaProxy(Path dir, ManagedProcess process) {
    this.dir = dir;
    this.process = process;
  }

  /** Starts one frontend per key of {@code frontends}, balancing over the ports it maps to; waits until they accept. */
  public static HaProxy start(Map<Integer, List<Integer>> frontends) {
    Path dir = TestDirs.newInstanceDir("haproxy");
    StringBuilder config =
        new StringBuilder(
            """
            global
              maxconn 512
            defaults
              mode tcp
              balance roundrobin
              timeout connect 2s
              timeout client 60s
              timeout server 60s
              retries 3
              option redispatch 1
            """);
    frontends.forEach(
        (port, backends) -> {
          config.append("listen port").append(port).append('\n')
              .append("  bind 127.0.0.1:").append(port).append('\n');
          for (int backend : backends) {
            config.append("  server node").append(backend).append(" 127.0.0.1:").append(backend)
                .append(" check inter ").append(CHECK_INTERVAL_MS).append(" fall 1 rise 1\n");
          }
        });
    Path file = dir.resolve("haproxy.cfg");
    try {
      Files.writeString(file, config, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    ManagedProcess process =
        ManagedProcess.start("haproxy", List.of("haproxy", "-db", "-f", file.toString()), Map.of(), dir,
            dir.resolve("haproxy.log"));
    HaProxy haProxy = new HaProxy(dir, process);
    try {
      process.awaitReady("haproxy listening on " + frontends.keySet(), START_TIMEOUT,
          () -> frontends.keySet().stream().allMatch(FreePorts::accepts));
      return haProxy;
    } catch (RuntimeException e) {
      haProxy.close();
      throw e;
    }
  }

  /** What HAProxy printed (alerts, backends going down and up). */
  public String log() {
    return process.log();
  }

  @Override
  public void close() {
    process.stop();
    TestDirs.deleteUnlessKept(dir);
  }
}
