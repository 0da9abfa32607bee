package dev.gatehouse.tls;

import dev.gatehouse.certs.CertifiedKey;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.OpenSslContextOption;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import io.netty.handler.ssl.util.TrustManagerFactoryWrapper;
import io.netty.internal.tcnative.SSL;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * Builds server {@link SslContext}s with the {@link MozillaIntermediate} settings: BoringSSL through
 * netty-tcnative when it loads (handshakes close to nginx's cost), the JDK's TLS otherwise. Building parses
 * keys and costs a few milliseconds of CPU: call it off the event loops. Safe for concurrent use.
 *
 * <p>BoringSSL contexts are reference counted ({@link SslProvider#OPENSSL_REFCNT}): {@link SslProvider#OPENSSL}
 * gives every connection's engine a finalizer, which makes each accepted connection a finalizable object that
 * takes two garbage collections and a pass of the finalizer thread to free. A reference-counted engine is
 * freed the moment its {@code SslHandler} leaves the pipeline, and holds a reference to its context, so a
 * context outlives the connections that use it. The caller owns the one reference a build returns and gives
 * it back with {@link #release}.
 */
public final class ServerSslContextFactory {

  /** Sessions kept for resumption per certificate; about what nginx's {@code shared:MozSSL:10m} holds. */
  public static final long SESSION_CACHE_SIZE = 20_000;

  /**
   * How long a session-ticket key encrypts new tickets; it decrypts for one more period, as long as a ticket
   * is accepted ({@link MozillaIntermediate#SESSION_TIMEOUT}).
   */
  public static final Duration TICKET_KEY_ROTATION = Duration.ofHours(12);

  private final SslProvider provider;
  private final SessionTicketKeys ticketKeys = new SessionTicketKeys();

  public ServerSslContextFactory() {
    this(OpenSsl.isAvailable() ? SslProvider.OPENSSL_REFCNT : SslProvider.JDK);
  }

  /** For tests that pin a provider. */
  public ServerSslContextFactory(SslProvider provider) {
    this.provider = provider;
  }

  public SslProvider provider() {
    return provider;
  }

  /**
   * Mozilla intermediate has server cipher preference off (every listed suite is strong, and the client knows
   * best whether it has AES hardware); Netty's OpenSSL contexts turn it on, so each engine turns it off. A
   * BoringSSL engine clears the one option: going through its {@link SSLParameters} would read, convert, parse
   * and set its cipher and protocol lists again for every connection.
   */
  public static void useClientCipherOrder(SSLEngine engine) {
    if (engine instanceof ReferenceCountedOpenSslEngine openSsl) {
      SSL.clearOptions(openSsl.sslPointer(), SSL.SSL_OP_CIPHER_SERVER_PREFERENCE);
      return;
    }
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setUseCipherSuitesOrder(false);
    engine.setSSLParameters(parameters);
  }

  /** A new context serving {@code key} with ALPN {@code h2} and {@code http/1.1}; the caller owns it. */
  public SslContext forHttps(CertifiedKey key) throws SSLException {
    return build(key, AlpnProtocols.HTTPS);
  }

  /**
   * A new context answering an RFC 8737 tls-alpn-01 validation: the challenge certificate, and {@code
   * acme-tls/1} as the only protocol; the caller owns it.
   */
  public SslContext forAcmeTlsAlpn(CertifiedKey challenge) throws SSLException {
    return build(challenge, List.of(AlpnProtocols.ACME_TLS_1));
  }

  /**
   * The key and chain for a context, without Netty's PKCS#12 detour ({@link CertifiedKeyManager}). For
   * BoringSSL, Netty's caching factory converts them to native form once per context rather than on every
   * handshake.
   */
  private KeyManagerFactory keyManagers(CertifiedKey key) {
    KeyManagerFactory keys = new KeyManagerFactoryWrapper(new CertifiedKeyManager(key));
    return provider == SslProvider.JDK ? keys : new OpenSslCachingX509KeyManagerFactory(keys);
  }

  private SslContext build(CertifiedKey key, List<String> alpn) throws SSLException {
    SslContextBuilder builder =
        SslContextBuilder.forServer(keyManagers(key))
            .trustManager(new TrustManagerFactoryWrapper(NoClientCertificates.INSTANCE))
            .sslProvider(provider)
            .protocols(MozillaIntermediate.PROTOCOLS)
            .ciphers(MozillaIntermediate.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
            .sessionCacheSize(SESSION_CACHE_SIZE)
            .sessionTimeout(MozillaIntermediate.SESSION_TIMEOUT.toSeconds())
            // OpenSSL-based engines support only NO_ADVERTISE/ACCEPT: a client with no common protocol
            // gets none selected and is served HTTP/1.1 (RFC 7301 §3.2 allows continuing).
            .applicationProtocolConfig(
                new ApplicationProtocolConfig(
                    Protocol.ALPN,
                    SelectorFailureBehavior.NO_ADVERTISE,
                    SelectedListenerFailureBehavior.ACCEPT,
                    alpn));
    if (provider != SslProvider.JDK) {
      builder.option(OpenSslContextOption.GROUPS, MozillaIntermediate.GROUPS.toArray(new String[0]));
      // BoringSSL's certificate callback (CertifiedKeyManager: a field read, the native key cached by the
      // caching factory) runs inside the handshake call. As a delegated task, Netty's default, every
      // handshake paid for a task object, a NEED_TASK round trip through SslHandler and a second entry into
      // SSL_do_handshake, for work that never blocks.
      builder.option(OpenSslContextOption.USE_TASKS, false);
    }
    SslContext context = builder.build();
    if (context instanceof ReferenceCountedOpenSslContext openSsl) {
      ticketKeys.register(openSsl);
    }
    return context;
  }

  /**
   * Gives back the reference to {@code context} that {@link #forHttps} or {@link #forAcmeTlsAlpn} returned: its
   * ticket keys are no longer rotated, and its native memory is freed once the last connection using it
   * closes. Call it once per context.
   */
  public void release(SslContext context) {
    if (context instanceof ReferenceCountedOpenSslContext openSsl) {
      ticketKeys.unregister(openSsl);
    }
    ReferenceCountUtil.release(context);
  }

  /**
   * Starts a new session-ticket key for every context built so far and from now on; the previous key still
   * decrypts (tickets issued just before the rotation resume), older ones no longer do. Call it every {@link
   * #TICKET_KEY_ROTATION}.
   */
  public void rotateTicketKeys() {
    ticketKeys.rotate();
  }
}
