package dev.gatehouse.nginx;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class PortOwnersTest {

  @Test
  void seesThisJvmListening() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = socket.getLocalPort();

      PortOwners.Listeners listeners = new PortOwners().listeners(port);

      assertThat(listeners.listening()).isTrue();
      assertThat(listeners.programs()).contains("java");
    }
    assertThat(new PortOwners().listeners(port).listening()).isFalse();
  }
}
