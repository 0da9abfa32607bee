package dev.gatehouse.localca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.IssuanceException;
import dev.gatehouse.certs.IssueRequest;
import dev.gatehouse.certs.Openssl;
import dev.gatehouse.certs.Pem;
import dev.gatehouse.config.KeyType;
import dev.gatehouse.store.FileStorage;
import dev.gatehouse.store.StorageKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalCaIssuerTest {

  @TempDir Path dir;
  private FileStorage storage;

  @BeforeEach
  void setUp() throws Exception {
    storage = new FileStorage(dir.resolve("state"));
  }

  private static IssueRequest request(KeyType type, String... names) {
    return new IssueRequest(List.of(names), type, Optional.empty());
  }

  private Path write(String file, List<java.security.cert.X509Certificate> certificates) throws Exception {
    Path path = dir.resolve(file);
    Files.write(path, Pem.encodeCertificates(certificates));
    return path;
  }

  @Test
  void opensslVerifiesTheLeafAgainstTheRootAsAServerCertificate() throws Exception {
    LocalCaIssuer ca = new LocalCaIssuer(storage);
    CertifiedKey leaf = ca.issue(request(KeyType.ECDSA_P256, "app.localhost", "localhost", "127.0.0.1", "::1"));
    write("leaf.pem", List.of(leaf.leaf()));
    String root = storage.pathOf(StorageKeys.LOCAL_CA_ROOT).toString();

    String verify =
        Openssl.run(dir, "verify", "-x509_strict", "-purpose", "sslserver", "-CAfile", root, "leaf.pem");
    assertThat(verify.trim()).isEqualTo("leaf.pem: OK");

    String text = Openssl.run(dir, "x509", "-in", "leaf.pem", "-noout", "-text");
    assertThat(text)
        .contains("DNS:app.localhost, DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1")
        .contains("TLS Web Server Authentication")
        .contains("CA:FALSE")
        .contains("X509v3 Authority Key Identifier")
        .contains("X509v3 Subject Key Identifier")
        .contains("Digital Signature")
        .contains("ASN1 OID: prime256v1")
        .contains("Subject: CN = app.localhost");
  }

  @Test
  void theRootIsAP256CaForEndEntitiesOnlyNamedAfterTheMachine() throws Exception {
    new LocalCaIssuer(storage).root();
    String text =
        Openssl.run(dir, "x509", "-in", storage.pathOf(StorageKeys.LOCAL_CA_ROOT).toString(), "-noout", "-text");
    assertThat(text)
        .contains("CA:TRUE, pathlen:0")
        .contains("Certificate Sign, CRL Sign")
        .contains("ASN1 OID: prime256v1")
        .containsPattern("Subject: O = Gatehouse, CN = Gatehouse Local CA \\S+ \\d{4}-\\d{2}-\\d{2}");
  }

  @Test
  void theChainIsLeafThenRoot() throws Exception {
    LocalCaIssuer ca = new LocalCaIssuer(storage);
    CertifiedKey leaf = ca.issue(request(KeyType.ECDSA_P256, "app.localhost"));
    assertThat(leaf.chain()).hasSize(2);
    assertThat(leaf.chain().get(1)).isEqualTo(ca.root().leaf());
    leaf.leaf().verify(ca.root().leaf().getPublicKey());
  }

  @Test
  void theRootKeyIsOwnerOnlyAndTheRootIsCreatedOnce() throws Exception {
    CertifiedKey first = new LocalCaIssuer(storage).root();
    CertifiedKey again = new LocalCaIssuer(new FileStorage(dir.resolve("state"))).root();

    assertThat(again.leaf()).isEqualTo(first.leaf());
    assertThat(PosixFilePermissions.toString(
            Files.getPosixFilePermissions(storage.pathOf(StorageKeys.LOCAL_CA_KEY))))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(
            Files.getPosixFilePermissions(storage.pathOf(StorageKeys.LOCAL_CA_ROOT))))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void leavesLastSevenDaysAndRootsTenYears() throws Exception {
    Instant now = Instant.parse("2026-03-01T12:00:00Z");
    LocalCaIssuer ca = new LocalCaIssuer(storage, Clock.fixed(now, ZoneOffset.UTC));
    CertifiedKey leaf = ca.issue(request(KeyType.ECDSA_P256, "app.localhost"));

    assertThat(leaf.notAfter()).isEqualTo(now.plus(Duration.ofDays(7)));
    assertThat(leaf.notBefore()).isBefore(now);
    assertThat(leaf.lifetime()).isLessThan(Duration.ofDays(10));
    assertThat(ca.root().notAfter()).isEqualTo(now.plus(Duration.ofDays(3650)));
  }

  @Test
  void rsaLeavesMayAlsoEncipherKeys() throws Exception {
    CertifiedKey leaf = new LocalCaIssuer(storage).issue(request(KeyType.RSA2048, "app.localhost"));
    write("leaf.pem", List.of(leaf.leaf()));
    String text = Openssl.run(dir, "x509", "-in", "leaf.pem", "-noout", "-text");
    assertThat(text).contains("Public-Key: (2048 bit)").contains("Digital Signature, Key Encipherment");
  }

  @Test
  void eachIssueHasAFreshKeyAndSerial() throws Exception {
    LocalCaIssuer ca = new LocalCaIssuer(storage);
    CertifiedKey one = ca.issue(request(KeyType.ECDSA_P256, "app.localhost"));
    CertifiedKey two = ca.issue(request(KeyType.ECDSA_P256, "app.localhost"));
    assertThat(two.serialHex()).isNotEqualTo(one.serialHex());
    assertThat(two.privateKey()).isNotEqualTo(one.privateKey());
  }

  @Test
  void aDamagedRootIsReportedNotSilentlyReplaced() throws Exception {
    new LocalCaIssuer(storage).root();
    Path root = storage.pathOf(StorageKeys.LOCAL_CA_ROOT);
    byte[] before = Files.readAllBytes(root);
    Files.write(root, java.util.Arrays.copyOf(before, 100));

    assertThatThrownBy(() -> new LocalCaIssuer(storage).issue(request(KeyType.ECDSA_P256, "app.localhost")))
        .isInstanceOf(IssuanceException.class)
        .hasMessageStartingWith("local CA: localca/root.pem: truncated or corrupt PEM")
        .hasMessageEndingWith("move localca/ away to create a new root (and trust it again)");
    assertThat(Files.readAllBytes(root)).hasSize(100);
  }

  @Test
  void aKeyLeftWithoutItsRootByACrashIsReplaced() throws Exception {
    storage.store(StorageKeys.LOCAL_CA_KEY, "left by a crash".getBytes(StandardCharsets.US_ASCII), true);
    CertifiedKey root = new LocalCaIssuer(storage).root();
    assertThat(Pem.parsePrivateKey("k", storage.load(StorageKeys.LOCAL_CA_KEY).orElseThrow()))
        .isEqualTo(root.privateKey());
  }
}
