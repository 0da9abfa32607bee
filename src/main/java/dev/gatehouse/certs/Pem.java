package dev.gatehouse.certs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/**
 * PEM certificates and private keys, as certbot, openssl and nginx write them. Certificates: one or more
 * {@code CERTIFICATE} blocks, leaf first. Keys: PKCS#8 {@code PRIVATE KEY} (written), and when read also the
 * legacy {@code EC PRIVATE KEY} (RFC 5915) and {@code RSA PRIVATE KEY} (PKCS#1) forms. Every error is a {@link
 * CertificateFileException} whose message starts with the file it is about.
 */
public final class Pem {
  private Pem() {}

  private static final JcaX509CertificateConverter CERTIFICATES = new JcaX509CertificateConverter();
  private static final JcaPEMKeyConverter KEYS = new JcaPEMKeyConverter();

  /** Reads every certificate in {@code file}, in file order (leaf first for a chain). */
  public static List<X509Certificate> readCertificates(Path file) throws CertificateFileException {
    return parseCertificates(file.toString(), read(file));
  }

  /**
   * Parses every certificate in {@code pem}.
   *
   * @param source the file or storage key the bytes came from, for the message
   * @throws CertificateFileException if there is none, one is truncated or corrupt, or a block is not a
   *     certificate
   */
  public static List<X509Certificate> parseCertificates(String source, byte[] pem)
      throws CertificateFileException {
    List<X509Certificate> certificates = new ArrayList<>();
    for (Object object : parseAll(source, pem)) {
      if (!(object instanceof X509CertificateHolder holder)) {
        throw new CertificateFileException(
            source + ": found " + describe(object) + " where a certificate was expected"
                + " (expected: -----BEGIN CERTIFICATE----- blocks, the site's certificate first)");
      }
      try {
        certificates.add(CERTIFICATES.getCertificate(holder));
      } catch (CertificateException e) {
        throw new CertificateFileException(source + ": unreadable certificate: " + e.getMessage(), e);
      }
    }
    if (certificates.isEmpty()) {
      throw new CertificateFileException(source + ": no certificate found"
          + " (expected: PEM with -----BEGIN CERTIFICATE-----; for DER use: openssl x509 -inform der)");
    }
    return certificates;
  }

  /**
   * Reads the one private key in {@code file}. Refuses a file every user may read: a key that leaked cannot
   * be trusted (group-readable stays allowed for Debian's {@code ssl-cert} group convention).
   */
  public static PrivateKey readPrivateKey(Path file) throws CertificateFileException {
    Set<PosixFilePermission> mode;
    try {
      mode = Files.getPosixFilePermissions(file);
    } catch (NoSuchFileException e) {
      throw new CertificateFileException(file + ": no such file");
    } catch (IOException e) {
      throw new CertificateFileException(file + ": cannot read: " + e.getMessage(), e);
    }
    if (mode.contains(PosixFilePermission.OTHERS_READ)) {
      throw new CertificateFileException(
          file + ": private key is readable by every user (" + PosixFilePermissions.toString(mode)
              + "); refusing to use it. Fix: chmod 600 " + file);
    }
    return parsePrivateKey(file.toString(), read(file));
  }

  /** Parses the one private key in {@code pem}; {@code source} names it in messages. */
  public static PrivateKey parsePrivateKey(String source, byte[] pem) throws CertificateFileException {
    List<Object> objects = parseAll(source, pem);
    if (objects.isEmpty()) {
      throw new CertificateFileException(source + ": no private key found"
          + " (expected: PEM with -----BEGIN PRIVATE KEY-----, EC PRIVATE KEY or RSA PRIVATE KEY)");
    }
    if (objects.size() > 1) {
      throw new CertificateFileException(source + ": " + objects.size() + " PEM blocks where one private key"
          + " was expected (found " + describe(objects.get(0)) + ", " + describe(objects.get(1)) + ")");
    }
    Object object = objects.get(0);
    try {
      if (object instanceof PrivateKeyInfo info) {
        return KEYS.getPrivateKey(info);
      }
      if (object instanceof PEMKeyPair pair) {
        return KEYS.getKeyPair(pair).getPrivate();
      }
    } catch (IOException | RuntimeException e) {
      throw new CertificateFileException(source + ": unreadable private key: " + e.getMessage(), e);
    }
    if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
      throw new CertificateFileException(source + ": the private key is encrypted; a server must start"
          + " unattended. Decrypt it: openssl pkey -in " + source + " -out KEY.pem");
    }
    throw new CertificateFileException(
        source + ": found " + describe(object) + " where a private key was expected");
  }

  /**
   * Reads a chain file and its key, and checks the key belongs to the chain's first certificate.
   *
   * @throws CertificateFileException for either file, or naming both when they do not match
   */
  public static CertifiedKey readCertifiedKey(Path chainFile, Path keyFile) throws CertificateFileException {
    List<X509Certificate> chain = readCertificates(chainFile);
    PrivateKey key = readPrivateKey(keyFile);
    checkKeyMatches(keyFile.toString(), chainFile.toString(), chain.get(0), key);
    return new CertifiedKey(chain, key);
  }

  /**
   * Proves {@code key} is the private half of {@code certificate}'s public key by signing with one and
   * verifying with the other, which works the same for EC and RSA.
   */
  public static void checkKeyMatches(
      String keySource, String certificateSource, X509Certificate certificate, PrivateKey key)
      throws CertificateFileException {
    PublicKey publicKey = certificate.getPublicKey();
    String mismatch = keySource + ": private key does not match the first certificate in " + certificateSource
        + " (" + certificate.getSubjectX500Principal().getName() + "); the chain must start with the"
        + " certificate of this key";
    if (!publicKey.getAlgorithm().equals(key.getAlgorithm())) {
      throw new CertificateFileException(mismatch);
    }
    try {
      byte[] probe = "gatehouse key check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(KeyPairs.sha256SignatureAlgorithm(key.getAlgorithm()));
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(KeyPairs.sha256SignatureAlgorithm(key.getAlgorithm()));
      verifier.initVerify(publicKey);
      verifier.update(probe);
      if (!verifier.verify(signature)) {
        throw new CertificateFileException(mismatch);
      }
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new CertificateFileException(mismatch, e);
    }
  }

  /** PEM {@code CERTIFICATE} blocks, in list order. */
  public static byte[] encodeCertificates(List<X509Certificate> certificates) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      for (X509Certificate certificate : certificates) {
        writer.writeObject(new PemObject("CERTIFICATE", certificate.getEncoded()));
      }
    } catch (IOException | java.security.cert.CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode a certificate that was already parsed", e);
    }
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }

  /** A PKCS#8 {@code PRIVATE KEY} block, the form openssl 3 and certbot write. */
  public static byte[] encodePrivateKey(PrivateKey key) {
    StringWriter out = new StringWriter();
    try (PemWriter writer = new PemWriter(out)) {
      writer.writeObject(new PemObject("PRIVATE KEY", key.getEncoded()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write to a string", e);
    }
    return out.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] read(Path file) throws CertificateFileException {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CertificateFileException(file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new CertificateFileException(file + ": permission denied (the file must be readable by the user"
          + " gatehouse runs as)");
    } catch (IOException e) {
      throw new CertificateFileException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  private static List<Object> parseAll(String source, byte[] pem) throws CertificateFileException {
    List<Object> objects = new ArrayList<>();
    try (PEMParser parser =
        new PEMParser(new InputStreamReader(new ByteArrayInputStream(pem), StandardCharsets.US_ASCII))) {
      Object object;
      while ((object = parser.readObject()) != null) {
        objects.add(object);
      }
    } catch (IOException | RuntimeException e) {
      throw new CertificateFileException(source + ": truncated or corrupt PEM (" + oneLine(e) + ")", e);
    }
    return objects;
  }

  private static String describe(Object object) {
    if (object instanceof X509CertificateHolder) {
      return "a certificate";
    }
    if (object instanceof PrivateKeyInfo || object instanceof PEMKeyPair) {
      return "a private key";
    }
    if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
      return "an encrypted private key";
    }
    String name = object.getClass().getSimpleName();
    return name.isEmpty() ? "an unknown PEM block" : "a PEM block of type " + name;
  }

  private static String oneLine(Exception e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.replaceAll("\\s+", " ").trim();
  }
}
