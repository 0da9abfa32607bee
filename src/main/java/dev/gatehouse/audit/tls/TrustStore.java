package dev.gatehouse.audit.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The roots a server's chain must lead to: the certificates of a {@code --ca-file} (a private or staging CA,
 * replacing the defaults as curl's {@code --cacert} does) or the JDK's default trust store. Immutable.
 */
public final class TrustStore {
  private final List<X509Certificate> roots;
  private final String source;

  private TrustStore(List<X509Certificate> roots, String source) {
    this.roots = List.copyOf(roots);
    this.source = source;
  }

  /** The JDK's default trust store ({@code cacerts}, or {@code javax.net.ssl.trustStore} when set). */
  public static TrustStore jdkDefault() {
    try {
      TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init((KeyStore) null);
      List<X509Certificate> roots = new ArrayList<>();
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          roots.addAll(Arrays.asList(x509.getAcceptedIssuers()));
        }
      }
      return new TrustStore(roots, "the JDK default trust store");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK default trust store cannot be loaded", e);
    }
  }

  /** These roots and {@code anchors} (a CA the caller knows issued the site's certificate). */
  public TrustStore with(List<X509Certificate> anchors, String what) {
    List<X509Certificate> all = new ArrayList<>(roots);
    all.addAll(anchors);
    return new TrustStore(all, source + " and " + what);
  }

  /**
   * Reads every {@code -----BEGIN CERTIFICATE-----} block of a PEM file.
   *
   * @throws IOException when the file cannot be read
   * @throws IllegalArgumentException when it holds no certificate, naming the file
   */
  public static TrustStore fromPem(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> roots = new ArrayList<>();
      for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        roots.add((X509Certificate) certificate);
      }
      if (roots.isEmpty()) {
        throw new IllegalArgumentException(file + ": no certificate found; expected PEM blocks "
            + "-----BEGIN CERTIFICATE-----");
      }
      return new TrustStore(roots, file.toString());
    } catch (CertificateException e) {
      throw new IllegalArgumentException(file + ": no certificate found (" + e.getMessage() + "); expected PEM "
          + "blocks -----BEGIN CERTIFICATE-----", e);
    }
  }

  public Set<TrustAnchor> anchors() {
    return roots.stream().map(root -> new TrustAnchor(root, null)).collect(Collectors.toUnmodifiableSet());
  }

  /** Where the roots came from, for reports: a file name or "the JDK default trust store". */
  public String source() {
    return source;
  }
}
