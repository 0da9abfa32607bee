package dev.gatehouse.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** Asks "does something answer HTTP here?" over TCP or a Unix socket, with a bounded wait. */
public final class HttpProbe {

  /** How long one probe waits for the first bytes of an answer. */
  public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

  private HttpProbe() {}

  /** True when a {@code GET path} to 127.0.0.1:port gets an HTTP status line back. */
  public static boolean answers(int port, String path) {
    return answers(new InetSocketAddress("127.0.0.1", port), path);
  }

  /** True when a {@code GET path} on the Unix socket gets an HTTP status line back. */
  public static boolean answers(Path unixSocket, String path) {
    return answers(UnixDomainSocketAddress.of(unixSocket), path);
  }

  private static boolean answers(SocketAddress address, String path) {
    byte[] request = ("GET " + path + " HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    try (SocketChannel channel = SocketChannel.open(address); Selector selector = Selector.open()) {
      channel.write(ByteBuffer.wrap(request));
      channel.configureBlocking(false);
      channel.register(selector, SelectionKey.OP_READ);
      ByteBuffer head = ByteBuffer.allocate(5);
      long deadline = System.nanoTime() + PROBE_TIMEOUT.toNanos();
      while (head.hasRemaining()) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return false;
        }
        if (selector.select(left) == 0) {
          continue;
        }
        selector.selectedKeys().clear();
        if (channel.read(head) < 0) {
          return false;
        }
      }
      return new String(head.array(), StandardCharsets.US_ASCII).equals("HTTP/");
    } catch (IOException e) {
      return false;
    }
  }
}
