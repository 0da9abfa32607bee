package dev.gatehouse.testing;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates for tests, made with BouncyCastle: a local CA, server certificates it signs,
 * self-signed ones, and the broken kinds (expired, not yet valid, wrong name).
 *
 * <pre>{@code
 * TestCert ca = TestCerts.ca("Test Root");
 * TestCert site = TestCerts.forNames("app.test", "127.0.0.1").signedBy(ca).expiresIn(Duration.ofDays(5)).issue();
 * TestCert.PemFiles files = site.writeTo(dir, "app");   // app.pem (leaf + intermediates), app.key (0600)
 * }</pre>
 */
public final class TestCerts {

  /** Key algorithms offered; both are what public CAs issue for. */
  public enum KeyType { EC_P256, RSA_2048 }

  /** Backdating of notBefore, so a certificate issued now is valid despite small clock differences. */
  public static final Duration BACKDATE = Duration.ofHours(1);
  /** Default lifetime of a server certificate. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofDays(90);
  private static final Duration CA_LIFETIME = Duration.ofDays(3650);
  private static final Pattern IP_ADDRESS = Pattern.compile("^[0-9.]+$|:");
  private static final SecureRandom RANDOM = new SecureRandom();

  private TestCerts() {}

  /** A self-signed root CA (basicConstraints CA, keyCertSign) valid for ten years, EC P-256. */
  public static TestCert ca(String commonName) {
    return new Builder(List.of()).commonName(commonName).asCa().validFor(CA_LIFETIME).issue();
  }

  /** A server certificate for DNS names and IP addresses (the first is the CN); self-signed unless signed by a CA. */
  public static Builder forNames(String... names) {
    if (names.length == 0) {
      throw new IllegalArgumentException("names: none (expected: at least one DNS name or IP address)");
    }
    return new Builder(List.of(names));
  }

  /** Options of one certificate; {@link #issue()} makes it. */
  public static final class Builder {
    private final List<String> names;
    private String commonName;
    private KeyType keyType = KeyType.EC_P256;
    private Instant notBefore = Instant.now().minus(BACKDATE);
    private Instant notAfter = Instant.now().plus(DEFAULT_LIFETIME);
    private TestCert issuer;
    private boolean ca;

    private Builder(List<String> names) {
      this.names = names;
      this.commonName = names.isEmpty() ? null : names.get(0);
    }

    public Builder commonName(String commonName) {
      this.commonName = commonName;
      return this;
    }

    public Builder keyType(KeyType keyType) {
      this.keyType = keyType;
      return this;
    }

    /** Explicit validity window (use a past notAfter for an expired certificate). */
    public Builder validity(Instant notBefore, Instant notAfter) {
      this.notBefore = notBefore;
      this.notAfter = notAfter;
      return this;
    }

    /** Valid from an hour ago for {@code lifetime}. */
    public Builder validFor(Duration lifetime) {
      this.notAfter = notBefore.plus(lifetime);
      return this;
    }

    /** Valid until now + {@code remaining} (for "expires soon" cases). */
    public Builder expiresIn(Duration remaining) {
      this.notAfter = Instant.now().plus(remaining);
      return this;
    }

    /** Expired a day ago (issued 91 days ago). */
    public Builder expired() {
      return validity(Instant.now().minus(Duration.ofDays(91)), Instant.now().minus(Duration.ofDays(1)));
    }

    /** Signed by {@code issuer} (a {@link TestCerts#ca} or an intermediate) instead of self-signed. */
    public Builder signedBy(TestCert issuer) {
      this.issuer = issuer;
      return this;
    }

    /** Make a CA certificate (an intermediate when also {@link #signedBy}). */
    public Builder asCa() {
      this.ca = true;
      return this;
    }

    public TestCert issue() {
      try {
        KeyPair keys = generate(keyType);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.CN, commonName == null ? "gatehouse test" : commonName).build();
        X500Name issuerName = issuer == null ? subject
            : X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
        KeyPair signingKeys = issuer == null ? keys : issuer.keyPair();
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuerName,
            new BigInteger(127, RANDOM).add(BigInteger.ONE), Date.from(notBefore), Date.from(notAfter),
            subject, keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        builder.addExtension(Extension.subjectKeyIdentifier, false,
            extensions.createSubjectKeyIdentifier(keys.getPublic()));
        builder.addExtension(Extension.authorityKeyIdentifier, false,
            extensions.createAuthorityKeyIdentifier(signingKeys.getPublic()));
        if (ca) {
          builder.addExtension(Extension.keyUsage, true,
              new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature));
        } else {
          int usage = KeyUsage.digitalSignature | (keyType == KeyType.RSA_2048 ? KeyUsage.keyEncipherment : 0);
          builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
          builder.addExtension(Extension.extendedKeyUsage, false,
              new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
        }
        if (!names.isEmpty()) {
          builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(names));
        }
        String algorithm = signingKeys.getPrivate().getAlgorithm().equals("RSA")
            ? "SHA256withRSA" : "SHA256withECDSA";
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
            builder.build(new JcaContentSignerBuilder(algorithm).build(signingKeys.getPrivate())));
        List<X509Certificate> chain = new ArrayList<>(List.of(certificate));
        if (issuer != null && !issuer.isSelfSigned()) {
          chain.addAll(issuer.chain());
        }
        return new TestCert(certificate, keys, chain);
      } catch (GeneralSecurityException | OperatorCreationException | java.io.IOException e) {
        throw new IllegalStateException("cannot issue a test certificate for " + names, e);
      }
    }
  }

  private static GeneralNames subjectAltNames(List<String> names) {
    GeneralName[] all = names.stream()
        .map(n -> IP_ADDRESS.matcher(n).find()
            ? new GeneralName(GeneralName.iPAddress, n) : new GeneralName(GeneralName.dNSName, n))
        .toArray(GeneralName[]::new);
    return new GeneralNames(all);
  }

  private static KeyPair generate(KeyType type) throws GeneralSecurityException {
    if (type == KeyType.RSA_2048) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048, RANDOM);
      return generator.generateKeyPair();
    }
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }
}
