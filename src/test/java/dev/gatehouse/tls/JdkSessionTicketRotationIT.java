package dev.gatehouse.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.ManagedProcess;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Session tickets when BoringSSL is unavailable and the JDK's TLS serves ({@code io.netty.handler.ssl.noOpenSsl}):
 * the JDK rotates its ticket key itself (every hour, see {@link SessionTicketKeys}), here shortened to
 * {@value #KEY_SECONDS} s with {@code jdk.tls.server.statelessKeyTimeout}. Seen by {@code openssl s_client}: a
 * ticket resumes, a ticket issued after the period carries the next key's number (the first four bytes of a JDK
 * ticket), and the ticket of the previous key still resumes.
 */
class JdkSessionTicketRotationIT {

  static final int KEY_SECONDS = 2;
  private static final Pattern TICKET_START = Pattern.compile("TLS session ticket:\\s*\\n\\s*0000 - ([0-9a-f]{2}) "
      + "([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2})");

  @TempDir Path dir;

  @Test
  void theJdkProviderStartsANewTicketKeyEachPeriodAndTheOldOneStillResumes() throws Exception {
    TestCert ca = TestCerts.ca("Gatehouse JDK ticket root");
    Path caPem = ca.writeCertificate(dir.resolve("ca.pem"));
    var files = TestCerts.forNames("app.test").signedBy(ca).issue().writeTo(dir, "site");
    int https = FreePorts.next();
    List<String> jvm = List.of("-Dio.netty.handler.ssl.noOpenSsl=true",
        "-Djdk.tls.server.statelessKeyTimeout=" + KEY_SECONDS);
    List<String> args = List.of("serve", "app.test", "--http-port", "0", "--https-port", "" + https,
        "--bind", "127.0.0.1", "--state-dir", dir.resolve("state").toString(), "--access-log", "off",
        "--tls-cert", files.cert().toString(), "--tls-key", files.key().toString());
    try (GatehouseProcess gatehouse = GatehouseProcess.start(jvm, args, Map.of(), https)) {
      for (int i = 0; i < 100 && !gatehouse.log().contains("TLS by "); i++) {
        Thread.sleep(50);
      }
      assertThat(gatehouse.log()).contains("TLS by JDK");
      Path first = dir.resolve("first.pem");
      assertThat(handshake(https, caPem, "-sess_out", first)).contains("New, ");
      long firstKey = ticketKeyNumber(first);
      assertThat(handshake(https, caPem, "-sess_in", first)).as("resumed with the same key").contains("Reused, ");

      Thread.sleep(Duration.ofSeconds(KEY_SECONDS + 1).toMillis());
      Path second = dir.resolve("second.pem");
      assertThat(handshake(https, caPem, "-sess_out", second)).contains("New, ");
      assertThat(ticketKeyNumber(second)).as("the key after the period").isEqualTo((firstKey + 1) & 0xffffffffL);
      assertThat(handshake(https, caPem, "-sess_in", first)).as("the previous key still decrypts").contains("Reused, ");
    }
  }

  /** One TLS 1.2 handshake (its session file carries the ticket); returns s_client's report. */
  private String handshake(int port, Path caPem, String sessionFlag, Path session) {
    // stdin from /dev/null: s_client ends after the handshake instead of waiting for input.
    String command = "openssl s_client -connect 127.0.0.1:" + port + " -servername app.test -CAfile " + caPem
        + " -tls1_2 " + sessionFlag + " " + session + " < /dev/null";
    return ManagedProcess.run(List.of("sh", "-c", command), Map.of(), dir, Duration.ofSeconds(20)).output();
  }

  /** The number of the key that encrypted the ticket in {@code session}: a JDK ticket starts with it. */
  private long ticketKeyNumber(Path session) {
    String text = ManagedProcess.run(List.of("openssl", "sess_id", "-in", session.toString(), "-noout", "-text"),
        Map.of(), dir, Duration.ofSeconds(10)).output();
    Matcher m = TICKET_START.matcher(text);
    assertThat(m.find()).as("a session ticket in\n" + text).isTrue();
    return Long.parseLong(m.group(1) + m.group(2) + m.group(3) + m.group(4), 16);
  }
}
