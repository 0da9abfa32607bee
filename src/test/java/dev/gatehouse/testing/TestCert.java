package dev.gatehouse.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A certificate made by {@link TestCerts}, its key pair, and the chain a server sends
 * (the certificate, then intermediates; never the root).
 */
public record TestCert(X509Certificate certificate, KeyPair keyPair, List<X509Certificate> chain) {

  public TestCert {
    chain = List.copyOf(chain);
  }

  /** Files written by {@link #writeTo}: {@code cert} holds the chain, {@code key} the PKCS#8 private key. */
  public record PemFiles(Path cert, Path key) {}

  public boolean isSelfSigned() {
    return certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
  }

  public BigInteger serial() {
    return certificate.getSerialNumber();
  }

  /** The chain as PEM text. */
  public String chainPem() {
    StringBuilder pem = new StringBuilder();
    chain.forEach(c -> pem.append(Pems.toPem(c)));
    return pem.toString();
  }

  /** Writes {@code <baseName>.pem} (chain) and {@code <baseName>.key} (PKCS#8, mode 0600) into {@code dir}. */
  public PemFiles writeTo(Path dir, String baseName) {
    Path cert = dir.resolve(baseName + ".pem");
    Path key = dir.resolve(baseName + ".key");
    try {
      Files.createDirectories(dir);
      Files.writeString(cert, chainPem(), StandardCharsets.US_ASCII);
      Files.deleteIfExists(key);
      Files.createFile(key, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(key, Pems.toPem(keyPair.getPrivate()), StandardCharsets.US_ASCII);
      return new PemFiles(cert, key);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + cert + " / " + key, e);
    }
  }

  /** Writes only the certificate (no key), e.g. a CA file for {@code --cacert}; returns the path. */
  public Path writeCertificate(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, Pems.toPem(certificate), StandardCharsets.US_ASCII);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
