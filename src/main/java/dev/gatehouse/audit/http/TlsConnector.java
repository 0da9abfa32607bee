package dev.gatehouse.audit.http;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;

/**
 * Opens TLS connections the way a browser reaching {@code host} would, but to an address the audit chose
 * ({@code --resolve}): SNI is the host name (RFC 6066 §3), the chain is judged afterwards (see
 * {@link DeferredVerificationTrustManager}). Thread-safe.
 */
public final class TlsConnector {
  private final SSLContext context;
  private final Duration connectTimeout;
  private final Duration readTimeout;

  public TlsConnector(Duration connectTimeout, Duration readTimeout) {
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
    try {
      context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new DeferredVerificationTrustManager()}, null);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK offers no TLS implementation", e);
    }
  }

  /**
   * Connects and completes a handshake.
   *
   * @param protocols versions to offer ({@code TLSv1.2}, {@code TLSv1.3}); empty for the JDK defaults
   * @param applicationProtocols ALPN protocols to offer, most preferred first; empty to send no ALPN
   * @return the connected socket, handshake done; the caller closes it
   */
  public SSLSocket open(String host, InetAddress address, int port, List<String> protocols,
      List<String> applicationProtocols) throws IOException {
    Socket plain = new Socket();
    try {
      plain.connect(new InetSocketAddress(address, port), (int) connectTimeout.toMillis());
      plain.setSoTimeout((int) connectTimeout.toMillis());
      SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
      SSLParameters parameters = socket.getSSLParameters();
      if (!HostResolver.isIpLiteral(host)) {
        parameters.setServerNames(List.of(new SNIHostName(host)));
      }
      if (!protocols.isEmpty()) {
        parameters.setProtocols(protocols.toArray(String[]::new));
      }
      if (!applicationProtocols.isEmpty()) {
        parameters.setApplicationProtocols(applicationProtocols.toArray(String[]::new));
      }
      socket.setSSLParameters(parameters);
      socket.startHandshake();
      socket.setSoTimeout((int) readTimeout.toMillis());
      return socket;
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
  }

  /** Connects, completes a handshake, records what it showed and closes the connection. */
  public TlsSessionInfo handshake(String host, InetAddress address, int port, List<String> protocols,
      List<String> applicationProtocols) throws IOException {
    try (SSLSocket socket = open(host, address, port, protocols, applicationProtocols)) {
      List<X509Certificate> chain = new ArrayList<>();
      for (Certificate certificate : socket.getSession().getPeerCertificates()) {
        chain.add((X509Certificate) certificate);
      }
      String alpn = socket.getApplicationProtocol();
      return new TlsSessionInfo(socket.getSession().getProtocol(), socket.getSession().getCipherSuite(),
          alpn == null ? "" : alpn, chain);
    }
  }
}
