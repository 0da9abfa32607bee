package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.BindException;
import java.net.SocketException;
import org.junit.jupiter.api.Test;

class ListenerBindExceptionTest {

  @Test
  void lowPortWithoutPrivilegeSaysHowToFixIt() {
    assertThat(ListenerBindException.of("0.0.0.0", 80, "--http-port", new SocketException("bind(..) failed with error(-13): Permission denied")))
        .hasMessage("cannot listen on 0.0.0.0:80 (--http-port): permission denied for port 80: use setcap "
            + "cap_net_bind_service=+ep on the java binary, run as root, or a port >= 1024");
  }

  @Test
  void addressNotOnThisMachineNamesTheBindFlag() {
    assertThat(ListenerBindException.of("192.0.2.1", 443, "--https-port", new BindException("Cannot assign requested address")))
        .hasMessage("cannot listen on 192.0.2.1:443 (--https-port): address 192.0.2.1 is not on this machine (--bind)");
  }

  @Test
  void ipv6AddressIsBracketed() {
    assertThat(ListenerBindException.of("::1", 443, "--https-port", new BindException("Address already in use")))
        .hasMessageStartingWith("cannot listen on [::1]:443 (--https-port): port 443 in use");
  }
}
