package dev.gatehouse.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files made by openssl, the tool operators make them with, read back by {@link Pem}. */
class PemTest {

  @TempDir Path dir;

  /** A self-signed certificate and its key as openssl 3 writes them (PKCS#8 key). */
  private void selfSigned(String keyFile, String certFile, String... keyOptions) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(List.of("req", "-x509", "-nodes", "-days", "2", "-subj", "/CN=app.test"));
    args.addAll(List.of(keyOptions));
    args.addAll(List.of("-keyout", keyFile, "-out", certFile));
    Openssl.run(dir, args.toArray(String[]::new));
    Files.setPosixFilePermissions(dir.resolve(keyFile), PosixFilePermissions.fromString("rw-------"));
  }

  private void ecCertificate() throws Exception {
    selfSigned("key.pem", "cert.pem", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");
  }

  @Test
  void readsAnOpensslEcCertificateAndPkcs8Key() throws Exception {
    ecCertificate();
    assertThat(Files.readString(dir.resolve("key.pem"))).contains("-----BEGIN PRIVATE KEY-----");

    CertifiedKey key = Pem.readCertifiedKey(dir.resolve("cert.pem"), dir.resolve("key.pem"));

    assertThat(key.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=app.test");
    assertThat(key.privateKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void readsTheLegacyEcPrivateKeyForm() throws Exception {
    ecCertificate();
    Openssl.run(dir, "ec", "-in", "key.pem", "-out", "legacy.pem");
    Files.setPosixFilePermissions(dir.resolve("legacy.pem"), PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(dir.resolve("legacy.pem"))).contains("-----BEGIN EC PRIVATE KEY-----");

    CertifiedKey key = Pem.readCertifiedKey(dir.resolve("cert.pem"), dir.resolve("legacy.pem"));

    assertThat(key.privateKey().getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void readsRsaKeysInPkcs8AndLegacyPkcs1Forms() throws Exception {
    selfSigned("key.pem", "cert.pem", "-newkey", "rsa:2048");
    Openssl.run(dir, "rsa", "-in", "key.pem", "-traditional", "-out", "legacy.pem");
    Files.setPosixFilePermissions(dir.resolve("legacy.pem"), PosixFilePermissions.fromString("rw-------"));
    assertThat(Files.readString(dir.resolve("legacy.pem"))).contains("-----BEGIN RSA PRIVATE KEY-----");

    assertThat(Pem.readCertifiedKey(dir.resolve("cert.pem"), dir.resolve("key.pem")).privateKey().getAlgorithm())
        .isEqualTo("RSA");
    assertThat(Pem.readCertifiedKey(dir.resolve("cert.pem"), dir.resolve("legacy.pem")).privateKey())
        .isEqualTo(Pem.readPrivateKey(dir.resolve("key.pem")));
  }

  @Test
  void readsEveryCertificateOfAChainInOrder() throws Exception {
    ecCertificate();
    selfSigned("key2.pem", "cert2.pem", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384");
    Files.writeString(
        dir.resolve("chain.pem"),
        "leaf follows\n" + Files.readString(dir.resolve("cert.pem")) + Files.readString(dir.resolve("cert2.pem")));

    List<X509Certificate> chain = Pem.readCertificates(dir.resolve("chain.pem"));

    assertThat(chain).containsExactly(
        Pem.readCertificates(dir.resolve("cert.pem")).get(0), Pem.readCertificates(dir.resolve("cert2.pem")).get(0));
  }

  @Test
  void whatPemWritesOpensslReads() throws Exception {
    ecCertificate();
    CertifiedKey key = Pem.readCertifiedKey(dir.resolve("cert.pem"), dir.resolve("key.pem"));
    Files.write(dir.resolve("out-cert.pem"), Pem.encodeCertificates(key.chain()));
    Files.write(dir.resolve("out-key.pem"), Pem.encodePrivateKey(key.privateKey()));

    String fromCert = Openssl.run(dir, "x509", "-in", "out-cert.pem", "-noout", "-pubkey");
    String fromKey = Openssl.run(dir, "pkey", "-in", "out-key.pem", "-pubout");
    assertThat(fromKey).isEqualTo(fromCert);
  }

  @Test
  void aTruncatedCertificateNamesTheFileAndSaysSo() throws Exception {
    ecCertificate();
    String pem = Files.readString(dir.resolve("cert.pem"));
    Files.writeString(dir.resolve("cut.pem"), pem.substring(0, pem.length() / 2));

    assertThatThrownBy(() -> Pem.readCertificates(dir.resolve("cut.pem")))
        .isInstanceOf(CertificateFileException.class)
        .hasMessageStartingWith(dir.resolve("cut.pem") + ": truncated or corrupt PEM")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void aCertificateCutBeforeItsEndLineIsTruncated() throws Exception {
    Files.writeString(dir.resolve("cut.pem"), "-----BEGIN CERTIFICATE-----\nMIIB\n");
    assertThatThrownBy(() -> Pem.readCertificates(dir.resolve("cut.pem")))
        .hasMessageStartingWith(dir.resolve("cut.pem") + ": truncated or corrupt PEM");
  }

  @Test
  void corruptBase64InsideACertificateIsReported() throws Exception {
    ecCertificate();
    String pem = Files.readString(dir.resolve("cert.pem"));
    String[] lines = pem.split("\n");
    lines[2] = lines[2].substring(0, 10);
    Files.writeString(dir.resolve("bad.pem"), String.join("\n", lines) + "\n");

    assertThatThrownBy(() -> Pem.readCertificates(dir.resolve("bad.pem")))
        .isInstanceOf(CertificateFileException.class)
        .hasMessageStartingWith(dir.resolve("bad.pem") + ": ");
  }

  @Test
  void aKeyGivenAsTheCertificateIsNamedForWhatItIs() throws Exception {
    ecCertificate();
    assertThatThrownBy(() -> Pem.readCertificates(dir.resolve("key.pem")))
        .hasMessage(dir.resolve("key.pem") + ": found a private key where a certificate was expected"
            + " (expected: -----BEGIN CERTIFICATE----- blocks, the site's certificate first)");
  }

  @Test
  void aCertificateGivenAsTheKeyIsNamedForWhatItIs() throws Exception {
    ecCertificate();
    Files.setPosixFilePermissions(dir.resolve("cert.pem"), PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> Pem.readPrivateKey(dir.resolve("cert.pem")))
        .hasMessage(dir.resolve("cert.pem") + ": found a certificate where a private key was expected");
  }

  @Test
  void anEmptyOrDerFileHasNoCertificate() throws Exception {
    ecCertificate();
    Openssl.run(dir, "x509", "-in", "cert.pem", "-outform", "der", "-out", "cert.der");
    assertThatThrownBy(() -> Pem.readCertificates(dir.resolve("cert.der")))
        .hasMessageStartingWith(dir.resolve("cert.der") + ": no certificate found")
        .hasMessageContaining("openssl x509 -inform der");
    Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(() -> Pem.readCertificates(dir.resolve("empty.pem")))
        .hasMessageStartingWith(dir.resolve("empty.pem") + ": no certificate found");
  }

  @Test
  void aKeyOfAnotherCertificateIsAMismatchNamingBothFiles() throws Exception {
    ecCertificate();
    selfSigned("other-key.pem", "other-cert.pem", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256");

    assertThatThrownBy(() -> Pem.readCertifiedKey(dir.resolve("cert.pem"), dir.resolve("other-key.pem")))
        .isInstanceOf(CertificateFileException.class)
        .hasMessage(dir.resolve("other-key.pem") + ": private key does not match the first certificate in "
            + dir.resolve("cert.pem") + " (CN=app.test); the chain must start with the certificate of this key");
  }

  @Test
  void anRsaKeyForAnEcCertificateIsAMismatch() throws Exception {
    ecCertificate();
    selfSigned("rsa-key.pem", "rsa-cert.pem", "-newkey", "rsa:2048");
    assertThatThrownBy(() -> Pem.readCertifiedKey(dir.resolve("cert.pem"), dir.resolve("rsa-key.pem")))
        .hasMessageContaining("private key does not match");
  }

  @Test
  void aKeyFileEveryoneCanReadIsRefused() throws Exception {
    ecCertificate();
    Path key = dir.resolve("key.pem");
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> Pem.readPrivateKey(key))
        .hasMessage(key + ": private key is readable by every user (rw-r--r--); refusing to use it."
            + " Fix: chmod 600 " + key);
  }

  @Test
  void aGroupReadableKeyIsAccepted() throws Exception {
    ecCertificate();
    Files.setPosixFilePermissions(dir.resolve("key.pem"), PosixFilePermissions.fromString("rw-r-----"));
    PrivateKey key = Pem.readPrivateKey(dir.resolve("key.pem"));
    assertThat(key.getAlgorithm()).isEqualTo("EC");
  }

  @Test
  void anEncryptedKeyIsRefusedWithHowToDecryptIt() throws Exception {
    ecCertificate();
    Openssl.run(dir, "pkey", "-in", "key.pem", "-aes256", "-passout", "pass:secret", "-out", "enc.pem");
    Files.setPosixFilePermissions(dir.resolve("enc.pem"), PosixFilePermissions.fromString("rw-------"));

    assertThatThrownBy(() -> Pem.readPrivateKey(dir.resolve("enc.pem")))
        .hasMessageStartingWith(dir.resolve("enc.pem") + ": the private key is encrypted")
        .hasMessageContaining("openssl pkey -in");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> Pem.readCertificates(dir.resolve("nope.pem")))
        .hasMessage(dir.resolve("nope.pem") + ": no such file");
    assertThatThrownBy(() -> Pem.readPrivateKey(dir.resolve("nope.pem")))
        .hasMessage(dir.resolve("nope.pem") + ": no such file");
  }

  @Test
  void twoKeysInOneFileAreRefused() throws Exception {
    ecCertificate();
    byte[] key = Files.readAllBytes(dir.resolve("key.pem"));
    assertThatThrownBy(
            () -> Pem.parsePrivateKey("k", (new String(key, StandardCharsets.US_ASCII).repeat(2)).getBytes(
                StandardCharsets.US_ASCII)))
        .hasMessageStartingWith("k: 2 PEM blocks where one private key was expected");
  }
}
