package dev.gatehouse.localca;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The local CA's root as trust stores see it: its PEM file and the names it is stored under. Every name
 * carries the start of the root's SHA-256 fingerprint, so installing is idempotent per root, a new root
 * (after {@code localca/} was moved away) never overwrites an old one, and uninstalling removes this root
 * and nothing else.
 *
 * @param pem the root's PEM file in the state directory
 */
public record LocalRoot(Path pem, X509Certificate certificate) {

  /** Hex digits of the fingerprint in names: 64 bits tell roots apart and keep names short. */
  private static final int NAME_FINGERPRINT_DIGITS = 16;

  /** SHA-256 of the DER certificate, colon-separated upper-case hex, as browsers and openssl show it. */
  public String fingerprint() {
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha256());
  }

  /** The NSS nickname and Java keystore alias: {@code gatehouse-local-ca-<fingerprint start>}. */
  public String alias() {
    return "gatehouse-local-ca-" + HexFormat.of().formatHex(sha256()).substring(0, NAME_FINGERPRINT_DIGITS);
  }

  /** The file name in the system anchors directory; {@code update-ca-certificates} takes only {@code .crt}. */
  public String anchorFileName() {
    return alias() + ".crt";
  }

  /** The subject's common name, for messages. */
  public String commonName() {
    return certificate.getSubjectX500Principal().getName().replaceAll("^.*CN=([^,]*).*$", "$1").strip();
  }

  private byte[] sha256() {
    try {
      return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new IllegalStateException("SHA-256 of a parsed certificate", e);
    }
  }

  @Override
  public String toString() {
    return commonName().toLowerCase(Locale.ROOT) + " (" + pem + ")";
  }
}
