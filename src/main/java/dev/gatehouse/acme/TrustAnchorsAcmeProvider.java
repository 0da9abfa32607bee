package dev.gatehouse.acme;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.shredzone.acme4j.connector.Connection;
import org.shredzone.acme4j.connector.NetworkSettings;
import org.shredzone.acme4j.provider.GenericAcmeProvider;

/**
 * acme4j's provider for {@code http(s)://} directory URLs, with two changes: the CA's own HTTPS is trusted
 * by the JDK's default anchors plus the operator's {@code --acme-trust} ones (Pebble's test root; there is
 * no "insecure" switch), and badNonce rejections are retried longer than acme4j does (see {@link
 * NonceRetryingConnection}).
 */
final class TrustAnchorsAcmeProvider extends GenericAcmeProvider {

  private final SSLContext sslContext;

  TrustAnchorsAcmeProvider(List<X509Certificate> extraAnchors) throws GeneralSecurityException {
    this.sslContext = sslContextTrusting(extraAnchors);
  }

  @Override
  public HttpClient createHttpClient(NetworkSettings networkSettings) {
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(networkSettings.getTimeout())
            .proxy(networkSettings.getProxySelector())
            .sslContext(sslContext);
    if (networkSettings.getAuthenticator() != null) {
      builder.authenticator(networkSettings.getAuthenticator());
    }
    return builder.build();
  }

  @Override
  public Connection connect(URI serverUri, NetworkSettings settings, HttpClient httpClient) {
    return new NonceRetryingConnection(createHttpConnector(settings, httpClient));
  }

  /** One trust store with every JDK default anchor and the extra ones. */
  private static SSLContext sslContextTrusting(List<X509Certificate> extraAnchors)
      throws GeneralSecurityException {
    TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    defaults.init((KeyStore) null);
    KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
    try {
      anchors.load(null, null);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot create an empty trust store", e);
    }
    int n = 0;
    for (var tm : defaults.getTrustManagers()) {
      if (tm instanceof X509TrustManager x509) {
        for (X509Certificate anchor : x509.getAcceptedIssuers()) {
          anchors.setCertificateEntry("jdk-" + n++, anchor);
        }
      }
    }
    for (X509Certificate anchor : extraAnchors) {
      anchors.setCertificateEntry("extra-" + n++, anchor);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(anchors);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
