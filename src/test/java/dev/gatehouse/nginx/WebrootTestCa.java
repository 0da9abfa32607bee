package dev.gatehouse.nginx;

import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.IssuanceException;
import dev.gatehouse.testing.Curl;
import dev.gatehouse.testing.CurlResult;
import dev.gatehouse.testing.Pems;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.UUID;

/**
 * A CA for setup tests that validates the way an ACME CA does over http-01 (RFC 8555 §8.3): it writes a
 * token into the webroot and fetches it from nginx on 127.0.0.1 with each name as Host, and only then
 * issues, from a test root, into the certbot layout. Can be told to refuse, like a CA that validated and
 * said no.
 */
public final class WebrootTestCa implements CertificateObtainer {

  private final TestCert root;
  private final Path live;
  private final int httpPort;
  private volatile String refusal;
  private volatile TestCert last;

  public WebrootTestCa(Path live, int httpPort) {
    this.root = TestCerts.ca("Setup IT Root");
    this.live = live;
    this.httpPort = httpPort;
  }

  public void refuseWith(String problem) {
    this.refusal = problem;
  }

  public Path writeRoot(Path file) {
    return root.writeCertificate(file);
  }

  public TestCert lastIssued() {
    return last;
  }

  @Override
  public Path liveDirectory() {
    return live;
  }

  @Override
  public CertifiedKey obtain(List<String> names, Path webroot) throws IssuanceException {
    for (String name : names) {
      String token = UUID.randomUUID().toString();
      Path file = webroot.resolve(".well-known/acme-challenge").resolve(token);
      try {
        Files.createDirectories(file.getParent());
        Files.writeString(file, token + ".thumbprint");
        CurlResult r = Curl.to("http://" + name + ":" + httpPort + "/.well-known/acme-challenge/" + token).run();
        if (r.status() != 200 || !r.bodyText().equals(token + ".thumbprint")) {
          throw new IssuanceException(name + ": http-01 validation got " + r.status() + " from port " + httpPort);
        }
        Files.delete(file);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (refusal != null) {
      throw new IssuanceException(refusal);
    }
    TestCert cert = TestCerts.forNames(names.toArray(String[]::new)).signedBy(root).issue();
    Path dir = live.resolve(names.get(0));
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("fullchain.pem"), cert.chainPem());
      Path key = dir.resolve("privkey.pem");
      Files.writeString(key, Pems.toPem(cert.keyPair().getPrivate()));
      Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    last = cert;
    return new CertifiedKey(cert.chain(), cert.keyPair().getPrivate());
  }

  @Override
  public String describe() {
    return "the setup test CA";
  }
}
