package dev.gatehouse.localca;

import dev.gatehouse.certs.CertificateFileException;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.IssuanceException;
import dev.gatehouse.certs.IssueRequest;
import dev.gatehouse.certs.Issuer;
import dev.gatehouse.certs.KeyPairs;
import dev.gatehouse.certs.Pem;
import dev.gatehouse.config.KeyType;
import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StorageKeys;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.DEROctetString;
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
 * A certificate authority on this machine for names no public CA will certify ({@code localhost}, {@code
 * *.localhost}, {@code 127.0.0.1}, {@code ::1}), like Caddy's {@code tls internal} and mkcert. The root (ECDSA
 * P-256, {@link #ROOT_LIFETIME}) is created once in storage ({@link StorageKeys#LOCAL_CA_ROOT}, key 0600) and
 * reused, so a user trusts it once ({@code gatehouse ca root}). Leaf certificates last {@link #LEAF_LIFETIME}:
 * a leaked one is worth little, and the renewal policy renews them at half their lifetime.
 *
 * <p>The chain handed out is leaf then root. RFC 8446 §4.4.2 lets a server omit the trust anchor, not
 * requires it; sending it costs a few hundred bytes on a local connection and keeps {@code chain.pem}
 * meaningful (the issuer, as certbot's layout promises) for tools that read it.
 *
 * <p>Safe for concurrent use, also by several processes on the same storage: the root is created under
 * {@link StorageKeys#LOCAL_CA_LOCK}.
 */
public final class LocalCaIssuer implements Issuer {

  public static final Duration ROOT_LIFETIME = Duration.ofDays(3650);
  public static final Duration LEAF_LIFETIME = Duration.ofDays(7);

  /** Leaves start a little in the past so a client whose clock lags a few minutes accepts them. */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  private static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Storage storage;
  private final Clock clock;
  private CertifiedKey root;

  public LocalCaIssuer(Storage storage, Clock clock) {
    this.storage = storage;
    this.clock = clock;
  }

  public LocalCaIssuer(Storage storage) {
    this(storage, Clock.systemUTC());
  }

  @Override
  public String name() {
    return "local CA";
  }

  /**
   * The root certificate and key, created and stored on first use.
   *
   * @throws IOException if storage fails, or the stored root is damaged (the message names the file; a new
   *     root is not made silently, since users may trust the old one)
   */
  public synchronized CertifiedKey root() throws IOException {
    if (root == null) {
      Storage.Lock lock = storage.lock(StorageKeys.LOCAL_CA_LOCK);
      try {
        root = loadOrCreateRoot();
      } finally {
        lock.close();
      }
    }
    return root;
  }

  @Override
  public CertifiedKey issue(IssueRequest request) throws IssuanceException {
    CertifiedKey ca;
    try {
      ca = root();
    } catch (IOException e) {
      throw new IssuanceException("local CA: " + e.getMessage(), Optional.empty(), e);
    }
    Instant now = clock.instant();
    Instant notAfter = now.plus(LEAF_LIFETIME);
    if (notAfter.isAfter(ca.notAfter())) {
      throw new IssuanceException("local CA: the root " + StorageKeys.LOCAL_CA_ROOT + " expires at "
          + ca.notAfter() + ", before a new certificate would; move localca/ away to create a new root");
    }
    KeyPair keyPair = KeyPairs.generate(request.keyType());
    try {
      X509Certificate rootCertificate = ca.leaf();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              rootCertificate,
              serial(),
              Date.from(now.minus(BACKDATE)),
              Date.from(notAfter),
              new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, request.names().get(0)).build(),
              keyPair.getPublic());
      JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      // RFC 5280 §4.2.1.3; keyEncipherment only for RSA key exchange (TLS 1.2 RSA suites).
      int usage = KeyUsage.digitalSignature;
      if (request.keyType() == KeyType.RSA2048 || request.keyType() == KeyType.RSA4096) {
        usage |= KeyUsage.keyEncipherment;
      }
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(usage));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      builder.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(request.names()));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(keyPair.getPublic()));
      builder.addExtension(
          Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(rootCertificate));
      X509Certificate leaf = sign(builder, ca.privateKey());
      return new CertifiedKey(List.of(leaf, rootCertificate), keyPair.getPrivate());
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IssuanceException("local CA: cannot sign a certificate for " + request.names() + ": "
          + e.getMessage(), Optional.empty(), e);
    }
  }

  private CertifiedKey loadOrCreateRoot() throws IOException {
    Optional<byte[]> pem = storage.load(StorageKeys.LOCAL_CA_ROOT);
    if (pem.isEmpty()) {
      // No root.pem: nobody can trust a root that was never written, so a key left by a crash is replaced.
      return createRoot();
    }
    Optional<byte[]> key = storage.load(StorageKeys.LOCAL_CA_KEY);
    if (key.isEmpty()) {
      throw new IOException(StorageKeys.LOCAL_CA_KEY + " is missing next to " + StorageKeys.LOCAL_CA_ROOT
          + "; move localca/ away to create a new root (and trust it again)");
    }
    try {
      X509Certificate certificate = Pem.parseCertificates(StorageKeys.LOCAL_CA_ROOT, pem.get()).get(0);
      PrivateKey privateKey = Pem.parsePrivateKey(StorageKeys.LOCAL_CA_KEY, key.get());
      Pem.checkKeyMatches(StorageKeys.LOCAL_CA_KEY, StorageKeys.LOCAL_CA_ROOT, certificate, privateKey);
      return new CertifiedKey(List.of(certificate), privateKey);
    } catch (CertificateFileException e) {
      throw new IOException(e.getMessage() + "; move localca/ away to create a new root (and trust it again)", e);
    }
  }

  private CertifiedKey createRoot() throws IOException {
    KeyPair keyPair = KeyPairs.generate(KeyType.ECDSA_P256);
    Instant now = clock.instant();
    X500Name name =
        new X500NameBuilder(BCStyle.INSTANCE)
            .addRDN(BCStyle.O, "Gatehouse")
            .addRDN(BCStyle.CN, "Gatehouse Local CA " + hostname() + " " + LocalDate.ofInstant(now, ZoneOffset.UTC))
            .build();
    try {
      PublicKey publicKey = keyPair.getPublic();
      X509v3CertificateBuilder builder =
          new JcaX509v3CertificateBuilder(
              name, serial(), Date.from(now.minus(BACKDATE)), Date.from(now.plus(ROOT_LIFETIME)), name, publicKey);
      // RFC 5280 §4.2.1.9: a CA that signs only end-entity certificates (pathLenConstraint 0).
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      builder.addExtension(
          Extension.subjectKeyIdentifier, false, new JcaX509ExtensionUtils().createSubjectKeyIdentifier(publicKey));
      X509Certificate certificate = sign(builder, keyPair.getPrivate());
      // The key first: a crash before root.pem is written leaves a key that the next start replaces.
      storage.store(StorageKeys.LOCAL_CA_KEY, Pem.encodePrivateKey(keyPair.getPrivate()), true);
      storage.store(StorageKeys.LOCAL_CA_ROOT, Pem.encodeCertificates(List.of(certificate)), false);
      return new CertifiedKey(List.of(certificate), keyPair.getPrivate());
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IOException("cannot create the local CA root: " + e.getMessage(), e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key)
      throws GeneralSecurityException, OperatorCreationException {
    return new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key)));
  }

  private static GeneralNames subjectAltNames(List<String> names) throws UnknownHostException {
    GeneralName[] sans = new GeneralName[names.size()];
    for (int i = 0; i < sans.length; i++) {
      String name = names.get(i);
      boolean ip = IPV4.matcher(name).matches() || name.contains(":");
      // A literal address: getByName parses it without a DNS lookup.
      sans[i] =
          ip
              ? new GeneralName(GeneralName.iPAddress, new DEROctetString(InetAddress.getByName(name).getAddress()))
              : new GeneralName(GeneralName.dNSName, name);
    }
    return new GeneralNames(sans);
  }

  /** 128 random bits, positive: CA/Browser Forum Baseline Requirements §7.1 asks for at least 64. */
  private static BigInteger serial() {
    return new BigInteger(128, RANDOM).setBit(127);
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
