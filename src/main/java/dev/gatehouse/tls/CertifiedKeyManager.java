package dev.gatehouse.tls;

import dev.gatehouse.certs.CertifiedKey;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Hands one {@link CertifiedKey} to a TLS server, under the single alias {@value #ALIAS}. Netty's way from a
 * key and chain to the engine is an in-memory PKCS#12 key store, which encrypts the key with PBKDF2 only to
 * decrypt it again at once: the largest single cost of building the first context at start-up (issue 6).
 * This key manager skips the store; the engines see the same key and chain. Immutable, safe for concurrent
 * use. A server key manager only: it never offers a client certificate.
 */
final class CertifiedKeyManager extends X509ExtendedKeyManager {

  static final String ALIAS = "gatehouse";

  private final PrivateKey key;
  private final X509Certificate[] chain;

  CertifiedKeyManager(CertifiedKey certifiedKey) {
    this.key = certifiedKey.privateKey();
    this.chain = certifiedKey.chain().toArray(new X509Certificate[0]);
  }

  /**
   * Whether the key serves {@code keyType}, by the rule of the JDK's {@code SunX509} key manager that
   * Netty's key store path used: the key's algorithm ({@code EC}, {@code RSA}), and after an underscore the
   * algorithm that must have signed the certificate ({@code EC_RSA}, for static-ECDH suites).
   */
  private boolean serves(String keyType) {
    if (keyType == null) {
      return false;
    }
    int underscore = keyType.indexOf('_');
    String keyAlgorithm = underscore < 0 ? keyType : keyType.substring(0, underscore);
    if (!keyAlgorithm.equals(key.getAlgorithm())) {
      return false;
    }
    return underscore < 0
        || chain[0].getSigAlgName().toUpperCase(Locale.ROOT)
            .contains("WITH" + keyType.substring(underscore + 1).toUpperCase(Locale.ROOT));
  }

  private String alias(String keyType) {
    return serves(keyType) ? ALIAS : null;
  }

  @Override
  public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
    return alias(keyType);
  }

  @Override
  public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
    return alias(keyType);
  }

  @Override
  public String[] getServerAliases(String keyType, Principal[] issuers) {
    return serves(keyType) ? new String[] {ALIAS} : null;
  }

  @Override
  public X509Certificate[] getCertificateChain(String alias) {
    return ALIAS.equals(alias) ? chain.clone() : null;
  }

  @Override
  public PrivateKey getPrivateKey(String alias) {
    return ALIAS.equals(alias) ? key : null;
  }

  @Override
  public String[] getClientAliases(String keyType, Principal[] issuers) {
    return null;
  }

  @Override
  public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
    return null;
  }

  @Override
  public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
    return null;
  }
}
