package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.RawHttp;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running {@code gatehouse serve --tls-cert --tls-key} whose files are replaced by broken ones and reloaded
 * (SIGHUP): each is refused with one log line naming the file, and the certificate loaded before keeps serving.
 */
class CertificateFilesIT {

  @TempDir Path dir;

  @Test
  void brokenCertificateAndKeyFilesAreRefusedWhileTheLastGoodOneServes() throws Exception {
    TestCert ca = TestCerts.ca("Gatehouse files root");
    Path caPem = ca.writeCertificate(dir.resolve("ca.pem"));
    TestCert first = TestCerts.forNames("app.example").signedBy(ca).issue();
    TestCert second = TestCerts.forNames("app.example").signedBy(ca).issue();
    var files = first.writeTo(dir, "site");
    Path cert = files.cert();
    Path key = files.key();
    String goodCert = Files.readString(cert);
    String goodKey = Files.readString(key);
    var next = second.writeTo(dir, "next");
    String nextCert = Files.readString(next.cert());
    String nextKey = Files.readString(next.key());
    int http = FreePorts.next();
    int https = FreePorts.next();
    List<String> args = List.of("serve", "app.example", "--http-port", "" + http, "--https-port", "" + https,
        "--bind", "127.0.0.1", "--state-dir", dir.resolve("state").toString(), "--access-log", "off",
        "--tls-cert", cert.toString(), "--tls-key", key.toString());
    try (GatehouseProcess gatehouse = GatehouseProcess.start(args, http, https)) {
      awaitServed(https, caPem, first, gatehouse);

      int refusals = 0;
      record Broken(String what, String certText, String keyText, String logged) {}
      List<Broken> cases = List.of(
          new Broken("truncated certificate", nextCert.substring(0, nextCert.length() / 2), nextKey, cert.toString()),
          new Broken("corrupt certificate", nextCert.replace("MII", "M!I"), nextKey, cert.toString()),
          new Broken("key where the certificate belongs", nextKey, nextKey, cert.toString()),
          new Broken("certificate where the key belongs", nextCert, nextCert, key.toString()),
          new Broken("truncated key", nextCert, nextKey.substring(0, nextKey.length() / 2), key.toString()),
          new Broken("key of another certificate", nextCert, goodKey, key.toString()));
      for (Broken broken : cases) {
        Files.writeString(cert, broken.certText(), StandardCharsets.US_ASCII);
        Files.writeString(key, broken.keyText(), StandardCharsets.US_ASCII);
        gatehouse.reload();
        refusals = awaitCount(gatehouse, "still serving", refusals + 1);
        assertThat(lastLine(gatehouse, "still serving")).as(broken.what()).contains(broken.logged());
        assertThat(servedSerial(https, caPem)).as(broken.what()).isEqualTo(first.certificate().getSerialNumber());
      }

      Files.writeString(cert, nextCert, StandardCharsets.US_ASCII);
      Files.writeString(key, nextKey, StandardCharsets.US_ASCII);
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));
      gatehouse.reload();
      awaitCount(gatehouse, "still serving", refusals + 1);
      assertThat(lastLine(gatehouse, "still serving")).contains("readable by every user").contains(key.toString());
      assertThat(servedSerial(https, caPem)).isEqualTo(first.certificate().getSerialNumber());

      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
      gatehouse.reload();
      awaitServed(https, caPem, second, gatehouse);
      assertThat(goodCert).isNotEqualTo(nextCert);
    }
  }

  /** Waits until {@code expected} is served (the certificate loads just after the ports open). */
  private static void awaitServed(int https, Path caPem, TestCert expected, GatehouseProcess gatehouse)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        if (servedSerial(https, caPem).equals(expected.certificate().getSerialNumber())) {
          return;
        }
      } catch (java.io.UncheckedIOException e) {
        // no certificate yet
      }
      assertThat(System.nanoTime()).as("never served:\n" + gatehouse.log()).isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static BigInteger servedSerial(int https, Path caPem) {
    try (RawHttp.Connection c = RawHttp.tls(https, "app.example", caPem).open()) {
      return ((X509Certificate) c.tlsSession().getPeerCertificates()[0]).getSerialNumber();
    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int awaitCount(GatehouseProcess gatehouse, String text, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      int seen = (int) gatehouse.log().lines().filter(l -> l.contains(text)).count();
      if (seen >= count) {
        return seen;
      }
      assertThat(System.nanoTime()).as("log never said '" + text + "' " + count + " times:\n" + gatehouse.log())
          .isLessThan(deadline);
      Thread.sleep(100);
    }
  }

  private static String lastLine(GatehouseProcess gatehouse, String text) {
    List<String> lines = gatehouse.log().lines().filter(l -> l.contains(text)).toList();
    return lines.get(lines.size() - 1);
  }
}
