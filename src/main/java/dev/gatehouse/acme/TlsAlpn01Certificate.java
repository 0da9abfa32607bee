package dev.gatehouse.acme;

import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.KeyPairs;
import dev.gatehouse.config.KeyType;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The self-signed certificate a tls-alpn-01 validation must see (RFC 8737 §3): the name being validated as
 * the only subjectAltName, and the critical acmeIdentifier extension whose value is the SHA-256 digest of
 * the key authorization, DER-encoded as an OCTET STRING. A fresh P-256 key each time; it certifies nothing
 * beyond the challenge, so it lives only as long as the validation.
 */
final class TlsAlpn01Certificate {
  private TlsAlpn01Certificate() {}

  /** id-pe-acmeIdentifier (RFC 8737 §6.1). */
  static final ASN1ObjectIdentifier ACME_IDENTIFIER = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.1.31");

  /** Long enough for any validation, short enough to be useless afterwards. */
  static final Duration LIFETIME = Duration.ofDays(7);

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * @param name the DNS name (or IP address, RFC 8738 §6) under validation
   * @param acmeValidation the SHA-256 digest of the key authorization (32 bytes)
   */
  static CertifiedKey create(String name, byte[] acmeValidation) {
    if (acmeValidation.length != 32) {
      throw new IllegalArgumentException("acmeValidation: " + acmeValidation.length + " bytes (expected: 32)");
    }
    KeyPair keyPair = KeyPairs.generate(KeyType.ECDSA_P256);
    Instant now = Instant.now();
    X500Name subject = new X500Name("CN=acme.invalid");
    try {
      X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
          new BigInteger(64, RANDOM), Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(LIFETIME)),
          subject, keyPair.getPublic());
      GeneralName san = AcmeIdentifiers.isIp(name)
          ? new GeneralName(GeneralName.iPAddress, name)
          : new GeneralName(GeneralName.dNSName, name);
      builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san));
      builder.addExtension(ACME_IDENTIFIER, true, new DEROctetString(acmeValidation));
      X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
          builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
      return new CertifiedKey(List.of(certificate), keyPair.getPrivate());
    } catch (CertIOException | OperatorCreationException | CertificateException e) {
      throw new IllegalStateException("cannot build the tls-alpn-01 certificate for " + name, e);
    }
  }
}
