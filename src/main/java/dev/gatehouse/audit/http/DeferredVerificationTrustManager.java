package dev.gatehouse.audit.http;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Lets every handshake complete so that the audit can inspect a broken deployment (an expired certificate, the
 * wrong name) instead of stopping at the first error. Verification is not skipped but deferred:
 * ChainVerifier and CertificateNames (package tls) judge the chain the server sent and report it, and the
 * audit sends credentials ({@code --login}) only after both succeeded. Never used outside the audit.
 */
final class DeferredVerificationTrustManager extends X509ExtendedTrustManager {
  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType) {
    // Judged after the handshake by ChainVerifier and CertificateNames.
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
    // Judged after the handshake by ChainVerifier and CertificateNames.
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
    // Judged after the handshake by ChainVerifier and CertificateNames.
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
    throw new CertificateException("the audit is a client; it does not accept client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    throw new CertificateException("the audit is a client; it does not accept client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    throw new CertificateException("the audit is a client; it does not accept client certificates");
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
