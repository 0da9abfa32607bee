package dev.gatehouse.audit.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientHelloProbeTest {
  private final ClientHelloProbe probe = new ClientHelloProbe(Duration.ofSeconds(1), Duration.ofSeconds(1));

  @Test
  void clientHelloOffersExactlyTheVersionAndSuitesUnderTestWithSni() {
    byte[] hello = probe.clientHello("shop.example.test", 0x0301, CipherSuites.TRIPLE_DES);

    assertThat(hello[0]).isEqualTo((byte) 22);
    int recordLength = ((hello[3] & 0xff) << 8) | (hello[4] & 0xff);
    assertThat(hello).hasSize(5 + recordLength);
    assertThat(hello[5]).isEqualTo((byte) 1);
    assertThat(hello[9]).isEqualTo((byte) 0x03);
    assertThat(hello[10]).isEqualTo((byte) 0x01);
    int suitesAt = 9 + 2 + 32 + 1;
    assertThat(((hello[suitesAt] & 0xff) << 8) | (hello[suitesAt + 1] & 0xff))
        .isEqualTo(CipherSuites.TRIPLE_DES.size() * 2);
    assertThat(new String(hello, StandardCharsets.ISO_8859_1)).contains("shop.example.test");
  }

  @Test
  void noSniForAnIpAddress() {
    assertThat(new String(probe.clientHello("127.0.0.1", 0x0303, CipherSuites.FORBIDDEN),
        StandardCharsets.ISO_8859_1)).doesNotContain("127.0.0.1");
  }

  @Test
  void readsTheChosenVersionAndSuiteFromAServerHelloSplitAcrossRecords() throws IOException {
    byte[] serverHello = serverHello(0x0301, 0xC013, new byte[0]);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.writeBytes(record(22, java.util.Arrays.copyOfRange(serverHello, 0, 10)));
    wire.writeBytes(record(22, java.util.Arrays.copyOfRange(serverHello, 10, serverHello.length)));

    ServerHelloAnswer answer = ClientHelloProbe.readAnswer(new ByteArrayInputStream(wire.toByteArray()));

    assertThat(answer.isAccepted()).isTrue();
    assertThat(answer.version()).contains(0x0301);
    assertThat(answer.cipherSuite()).contains(0xC013);
    assertThat(CipherSuites.name(0xC013)).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA");
  }

  @Test
  void supportedVersionsExtensionGivesTheRealVersion() throws IOException {
    byte[] extension = {0x00, 0x2b, 0x00, 0x02, 0x03, 0x04};
    byte[] wire = record(22, serverHello(0x0303, 0x1301, extension));

    ServerHelloAnswer answer = ClientHelloProbe.readAnswer(new ByteArrayInputStream(wire));

    assertThat(answer.version()).contains(0x0304);
    assertThat(ServerHelloAnswer.versionName(answer.version().get())).isEqualTo("TLS 1.3");
  }

  @Test
  void alertsAndClosedConnectionsAreRefusals() throws IOException {
    ServerHelloAnswer alert = ClientHelloProbe.readAnswer(new ByteArrayInputStream(record(21, new byte[] {2, 70})));
    ServerHelloAnswer closed = ClientHelloProbe.readAnswer(new ByteArrayInputStream(new byte[0]));

    assertThat(alert.isAccepted()).isFalse();
    assertThat(alert.refusal()).contains("alert protocol_version");
    assertThat(closed.refusal()).contains("connection closed without an answer");
  }

  @Test
  void plainHttpIsNotMistakenForTls() {
    byte[] http = "HTTP/1.1 400 Bad Request\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    assertThatThrownBy(() -> ClientHelloProbe.readAnswer(new ByteArrayInputStream(http)))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("not a TLS answer");
  }

  @Test
  void theWeakSuiteGroupsDoNotOverlap() {
    List<CipherSuite> all = CipherSuites.LEGACY_VERSION_PROBE;

    assertThat(all.stream().map(CipherSuite::code).distinct().count()).isEqualTo(all.size());
    assertThat(CipherSuites.TRIPLE_DES).allMatch(s -> s.name().contains("3DES"));
    assertThat(CipherSuites.RSA_KEY_TRANSPORT).allMatch(s -> s.name().startsWith("TLS_RSA_WITH_"));
    assertThat(CipherSuites.FORBIDDEN).allMatch(s -> s.name().matches(".*(NULL|RC4|EXPORT|_DES_|anon).*"));
  }

  private static byte[] serverHello(int version, int suite, byte[] extensions) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(version >> 8);
    body.write(version & 0xff);
    body.writeBytes(new byte[32]);
    body.write(0);
    body.write(suite >> 8);
    body.write(suite & 0xff);
    body.write(0);
    if (extensions.length > 0) {
      body.write(extensions.length >> 8);
      body.write(extensions.length & 0xff);
      body.writeBytes(extensions);
    }
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    message.write(2);
    message.write(0);
    message.write(body.size() >> 8);
    message.write(body.size() & 0xff);
    message.writeBytes(body.toByteArray());
    return message.toByteArray();
  }

  private static byte[] record(int type, byte[] fragment) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(type);
    out.write(3);
    out.write(3);
    out.write(fragment.length >> 8);
    out.write(fragment.length & 0xff);
    out.writeBytes(fragment);
    return out.toByteArray();
  }
}
