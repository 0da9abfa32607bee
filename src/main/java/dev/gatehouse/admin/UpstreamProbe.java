package dev.gatehouse.admin;

import dev.gatehouse.config.Upstream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * Whether an app server answers HTTP: a {@code HEAD /} with the site's Host, and any status line back counts
 * (Django's 400 for a disallowed host still proves Gunicorn and Django run). Blocking, bounded by {@link
 * #TIMEOUT}: call from the admin thread only.
 */
final class UpstreamProbe {
  private UpstreamProbe() {}

  /** How long a probe waits for the connection and the status line. */
  static final Duration TIMEOUT = Duration.ofSeconds(2);

  /** The status line's start, RFC 9112 §4. */
  private static final byte[] STATUS_LINE_START = "HTTP/".getBytes(StandardCharsets.US_ASCII);

  /** Empty when the app answered; otherwise what went wrong, one line. */
  static Optional<String> problem(Upstream upstream, String host) {
    SocketAddress address =
        upstream instanceof Upstream.UnixSocket unix
            ? UnixDomainSocketAddress.of(unix.socket())
            : new InetSocketAddress(((Upstream.Tcp) upstream).host(), ((Upstream.Tcp) upstream).port());
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (SocketChannel channel =
            upstream instanceof Upstream.UnixSocket
                ? SocketChannel.open(StandardProtocolFamily.UNIX)
                : SocketChannel.open();
        Selector selector = Selector.open()) {
      channel.configureBlocking(false);
      if (!channel.connect(address)) {
        channel.register(selector, SelectionKey.OP_CONNECT);
        if (!await(selector, deadline) || !channel.finishConnect()) {
          return Optional.of("no connection within " + TIMEOUT.toSeconds() + " s");
        }
      }
      ByteBuffer request =
          ByteBuffer.wrap(("HEAD / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\nUser-Agent: gatehouse-readyz\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      while (request.hasRemaining()) {
        channel.write(request);
      }
      ByteBuffer answer = ByteBuffer.allocate(STATUS_LINE_START.length);
      selector.selectedKeys().clear();
      channel.register(selector, SelectionKey.OP_READ);
      while (answer.hasRemaining()) {
        if (!await(selector, deadline)) {
          return Optional.of("no answer within " + TIMEOUT.toSeconds() + " s");
        }
        if (channel.read(answer) < 0) {
          return Optional.of("closed the connection without an answer");
        }
      }
      return Arrays.equals(answer.array(), STATUS_LINE_START)
          ? Optional.empty()
          : Optional.of("answered something other than HTTP");
    } catch (IOException e) {
      return Optional.of(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
    }
  }

  private static boolean await(Selector selector, long deadline) throws IOException {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      return false;
    }
    selector.selectedKeys().clear();
    return selector.select(left) > 0;
  }
}
