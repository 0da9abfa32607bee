package dev.gatehouse.tls;

import dev.gatehouse.certs.CertificateCache;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.certs.IssuanceException;
import dev.gatehouse.certs.OnDemandCertificates;
import io.netty.handler.ssl.SslContext;
import io.netty.util.IllegalReferenceCountException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * Picks the {@link SslContext} for a ClientHello. One context per {@link CertifiedKey} (by identity) is
 * built on a private thread whenever the {@link CertificateCache} changes, so a certificate swap is a map
 * swap: new handshakes get the new certificate, established connections keep theirs. Handshakes only read
 * the published map; a certificate not built yet (the moment between a cache change and its rebuild) is
 * built on that thread while the handshake waits, never on the event loop.
 *
 * <p>Choice: an {@code acme-tls/1}-only hello with a pending challenge gets the challenge certificate (RFC
 * 8737 §3); an SNI name gets its certificate or, if none matches, an {@code unrecognized_name} alert rather
 * than a certificate for another name; a hello without SNI (clients connecting to an IP address) gets the
 * default name's certificate, the first configured site's, as nginx's default server would. With {@link
 * OnDemandCertificates} ({@code gatehouse dev} only), an SNI name it covers that has no certificate yet gets
 * one signed on that same thread.
 *
 * <p>Contexts are reference counted ({@link ServerSslContextFactory}): the published maps own one reference to
 * each of their contexts and give it back once a rebuild has replaced them; {@link #select} hands the caller
 * a reference of its own, so a context cannot be freed between its lookup and the creation of the engine,
 * which holds a reference for as long as the connection lasts.
 */
public final class CertificateSelector implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(CertificateSelector.class.getName());
  /** Challenge contexts kept around for validators that connect several times (RFC 8737 §3). */
  private static final int MAX_CHALLENGE_CONTEXTS = 16;
  /** How long {@link #close} waits for a context being built before it releases the rest. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final CertificateCache certificates;
  private final ChallengeResponses challenges;
  private final Supplier<Optional<String>> defaultName;
  private final ServerSslContextFactory factory;
  private final ExecutorService builder;
  private final Optional<OnDemandCertificates> onDemand;

  private volatile Map<CertifiedKey, SslContext> contexts = Map.of();
  /** Only touched on {@link #builder}'s thread. */
  private final Map<CertifiedKey, SslContext> challengeContexts = new IdentityHashMap<>();

  /**
   * Builds contexts for every certificate already cached, then follows the cache.
   *
   * @param defaultName the name whose certificate a client without SNI gets
   */
  public CertificateSelector(
      CertificateCache certificates,
      ChallengeResponses challenges,
      Supplier<Optional<String>> defaultName,
      ServerSslContextFactory factory) {
    this(certificates, challenges, defaultName, factory, Optional.empty());
  }

  /**
   * As {@link #CertificateSelector(CertificateCache, ChallengeResponses, Supplier, ServerSslContextFactory)},
   * and signs certificates for SNI names {@code onDemand} covers when none is cached.
   */
  public CertificateSelector(
      CertificateCache certificates,
      ChallengeResponses challenges,
      Supplier<Optional<String>> defaultName,
      ServerSslContextFactory factory,
      Optional<OnDemandCertificates> onDemand) {
    this.certificates = certificates;
    this.onDemand = onDemand;
    this.challenges = challenges;
    this.defaultName = defaultName;
    this.factory = factory;
    this.builder =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "gatehouse-tls-contexts");
              t.setDaemon(true);
              return t;
            });
    rebuild();
    certificates.addListener(cache -> {
      try {
        builder.execute(this::rebuild);
      } catch (RejectedExecutionException e) {
        LOG.log(Level.DEBUG, "TLS: selector closed; certificate change ignored");
      }
    });
  }

  public ServerSslContextFactory factory() {
    return factory;
  }

  /**
   * The context for {@code hello}, with a reference the caller must give back with {@link
   * ReferenceCountUtil#release} once it has made its engine; fails with {@link NoCertificateException} when
   * there is none. Completes at once unless a context must be built first. Never blocks.
   */
  public Future<SslContext> select(ClientHello hello, EventExecutor executor) {
    Optional<String> sni = hello.serverName();
    if (hello.isAcmeTlsAlpn()) {
      Optional<CertifiedKey> challenge = sni.flatMap(challenges::tlsAlpn01);
      if (challenge.isEmpty()) {
        return executor.newFailedFuture(
            new NoCertificateException(sni, "acme-tls/1 offered but no tls-alpn-01 challenge is pending"));
      }
      return buildAsync(challenge.get(), true, executor);
    }
    Optional<String> name = sni.or(defaultName);
    Optional<CertifiedKey> key = name.flatMap(certificates::lookup);
    if (key.isEmpty() && sni.isPresent() && onDemand.filter(o -> o.covers(sni.get())).isPresent()) {
      return obtainAsync(onDemand.get(), sni.get(), executor);
    }
    if (key.isEmpty()) {
      return executor.newFailedFuture(
          new NoCertificateException(sni, name.isPresent() ? "not a served name" : "no default site"));
    }
    return published(key.get(), executor);
  }

  /**
   * The published context for {@code key}, retained. A rebuild on the builder thread may release it between
   * the map read and the retain; it publishes the new map first, so the second read sees the replacement (or
   * no context, which the builder thread then makes).
   */
  private Future<SslContext> published(CertifiedKey key, EventExecutor executor) {
    for (int read = 0; read < 2; read++) {
      SslContext context = contexts.get(key);
      if (context == null) {
        break;
      }
      try {
        return executor.newSucceededFuture(ReferenceCountUtil.retain(context));
      } catch (IllegalReferenceCountException released) {
        LOG.log(Level.DEBUG, "TLS: a context was replaced during its lookup; reading the new one");
      }
    }
    return buildAsync(key, false, executor);
  }

  private Future<SslContext> buildAsync(CertifiedKey key, boolean challenge, EventExecutor executor) {
    return onBuilder(() -> challenge ? challengeContext(key) : httpsContext(key), executor);
  }

  /** Signs (or finds, if a handshake before this one signed it) the certificate for {@code name}, then its context. */
  private Future<SslContext> obtainAsync(OnDemandCertificates source, String name, EventExecutor executor) {
    return onBuilder(
        () -> httpsContext(source.obtain(name)
            .orElseThrow(() -> new NoCertificateException(Optional.of(name), "not a served name"))),
        executor);
  }

  /** What runs on {@link #builder}'s thread for one handshake. */
  private interface ContextTask {
    SslContext run() throws IssuanceException, NoCertificateException, SSLException;
  }

  private Future<SslContext> onBuilder(ContextTask task, EventExecutor executor) {
    Promise<SslContext> promise = executor.newPromise();
    try {
      builder.execute(
          () -> {
            try {
              SslContext context = ReferenceCountUtil.retain(task.run());
              if (!promise.trySuccess(context)) {
                ReferenceCountUtil.release(context);
              }
            } catch (IssuanceException | NoCertificateException | SSLException | RuntimeException e) {
              promise.tryFailure(e);
            }
          });
    } catch (RejectedExecutionException e) {
      promise.tryFailure(e);
    }
    return promise;
  }

  private SslContext challengeContext(CertifiedKey key) throws SSLException {
    SslContext context = challengeContexts.get(key);
    if (context == null) {
      if (challengeContexts.size() >= MAX_CHALLENGE_CONTEXTS) {
        challengeContexts.values().forEach(factory::release);
        challengeContexts.clear();
      }
      context = factory.forAcmeTlsAlpn(key);
      challengeContexts.put(key, context);
    }
    return context;
  }

  private SslContext httpsContext(CertifiedKey key) throws SSLException {
    SslContext context = contexts.get(key);
    if (context == null) {
      context = factory.forHttps(key);
      Map<CertifiedKey, SslContext> next = new IdentityHashMap<>(contexts);
      next.put(key, context);
      contexts = Collections.unmodifiableMap(next);
    }
    return context;
  }

  /** Runs on {@link #builder}'s thread (or the constructor's, before it is shared). */
  private void rebuild() {
    Map<CertifiedKey, SslContext> current = contexts;
    Map<CertifiedKey, SslContext> next = new IdentityHashMap<>();
    for (CertifiedKey key : certificates.snapshot().values()) {
      if (next.containsKey(key)) {
        continue;
      }
      SslContext context = current.get(key);
      if (context == null) {
        try {
          context = factory.forHttps(key);
        } catch (SSLException | RuntimeException e) {
          LOG.log(
              Level.ERROR,
              "TLS: cannot use the certificate for " + key.names() + " (serial " + key.serialHex() + "): "
                  + e.getMessage());
          continue;
        }
      }
      next.put(key, context);
    }
    contexts = Collections.unmodifiableMap(next);
    current.forEach((key, context) -> {
      if (next.get(key) != context) {
        factory.release(context);
      }
    });
  }

  /**
   * Stops following the cache and gives back the selector's references; connections still open keep their
   * contexts until they close.
   */
  @Override
  public void close() {
    builder.shutdownNow();
    try {
      builder.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Map<CertifiedKey, SslContext> published = contexts;
    contexts = Map.of();
    published.values().forEach(factory::release);
    challengeContexts.values().forEach(factory::release);
    challengeContexts.clear();
  }
}
