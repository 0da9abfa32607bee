package dev.gatehouse.certs;

import dev.gatehouse.config.CertificateSource;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.config.SiteConfig;
import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StorageKeys;
import dev.gatehouse.store.StorageUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps every site's certificate in the {@link CertificateCache}: the operator's files, or certificates from
 * an {@link Issuer} that are reused from storage, issued when missing and renewed by {@link RenewalPolicy}.
 *
 * <p>Issuance, ARI requests and the periodic checks run on the manager's own daemon threads, never on the
 * caller's thread or an event loop; only {@link #start} and {@link #reload} read files on the calling thread.
 * Each site has its own lane: its checks run one at a time, and a site whose order hangs holds only its own
 * lane, for at most {@link IssuanceLimits#orderTimeout()}, while every other site's checks go on (a thread
 * each). A failed issuance keeps the current certificate and is retried with {@link RetryBackoff}; each
 * failure is one log line. While less than a tenth of a certificate's lifetime is left, every check logs an
 * error.
 *
 * <p>Other processes on the same storage (other nodes of a cluster, {@code gatehouse certs renew --force}) may
 * store a certificate: the manager watches {@code live/} and serves a newer certificate within seconds of its
 * storage, and checks every {@link #STORAGE_RECHECK} in case a change went unreported. Issuance holds the
 * storage lock of the name set, waiting at most {@link IssuanceLimits#lockWait()}, so only one process orders
 * a certificate at a time; the others wait and take what it stored.
 *
 * <p>On a configuration reload, start a new manager with the new configuration on the same cache; if {@link
 * #start} throws, keep the old one, else {@link #close} the old one. Stored certificates are reused, so
 * nothing is issued twice.
 */
public final class CertificateManager implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(CertificateManager.class.getName());

  /** How often storage is checked for a newer certificate, should its change notification be lost. */
  static final Duration STORAGE_RECHECK = Duration.ofSeconds(30);

  private final ServeConfig config;
  private final CertificateCache cache;
  private final IssuerSelector issuers;
  private final RenewalPolicy policy;
  private final RetryBackoff backoff;
  private final Storage storage;
  private final CertificateMaintenance maintenance;
  /** Only fires timers, which hand the work to {@link #workers}. */
  private final ScheduledThreadPoolExecutor timers;
  /** A thread per check in progress: a site whose order hangs never holds up another site's check. */
  private final ExecutorService workers;
  private Storage.Subscription storageWatch;
  /** By primary name, in configuration order; set once by {@link #start}. */
  private volatile Map<String, ManagedCertificate> sites = Map.of();
  private volatile boolean started;
  private volatile boolean closed;

  public CertificateManager(
      ServeConfig config,
      Storage storage,
      CertificateCache cache,
      IssuerSelector issuers,
      RenewalPolicy policy,
      RetryBackoff backoff,
      IssuanceLimits limits) {
    this.config = config;
    this.cache = cache;
    this.issuers = issuers;
    this.policy = policy;
    this.backoff = backoff;
    this.storage = storage;
    this.workers = Executors.newCachedThreadPool(daemonThreads("gatehouse-certs-"));
    this.maintenance =
        new CertificateMaintenance(storage, cache, policy, config.acme().keyType(), limits, workers);
    this.timers = new ScheduledThreadPoolExecutor(1, daemonThreads("gatehouse-certs-timer-"));
    this.timers.setRemoveOnCancelPolicy(true);
  }

  public CertificateManager(ServeConfig config, Storage storage, CertificateCache cache, IssuerSelector issuers) {
    this(config, storage, cache, issuers, new RenewalPolicy(), RetryBackoff.DEFAULT, IssuanceLimits.DEFAULT);
  }

  /**
   * Loads the operator's certificates and the reusable stored ones into the cache, then checks every site on
   * the executor: issues what is missing, renews what is due. Changes nothing if it throws.
   *
   * @return completes when every site has a certificate: provided and reused ones at once, new ones after the
   *     check that issued them (never, while issuance for one keeps failing)
   * @throws ConfigException for a provided file that cannot be used, or a site no issuer serves; the message
   *     names the file or site
   */
  public synchronized CompletableFuture<Void> start() throws ConfigException {
    if (started) {
      throw new IllegalStateException("already started");
    }
    Map<ManagedCertificate, CertifiedKey> ready = new LinkedHashMap<>();
    Map<String, ManagedCertificate> managed = new LinkedHashMap<>();
    for (SiteConfig site : config.sites()) {
      ManagedCertificate m;
      if (site.certificate() instanceof CertificateSource.Provided provided) {
        m = new ManagedCertificate(site, Optional.empty());
        ready.put(m, CertificateMaintenance.loadProvided(provided));
      } else {
        Issuer issuer =
            issuers
                .issuerFor(site)
                .orElseThrow(
                    () ->
                        new ConfigException(
                            site.primaryName() + ": no certificate issuer is configured for "
                                + site.certificate().getClass().getSimpleName()));
        m = new ManagedCertificate(site, Optional.of(issuer));
        maintenance.reusableFromStorage(m, true).ifPresent(key -> ready.put(m, key));
      }
      managed.put(site.primaryName(), m);
    }
    started = true;
    sites = Collections.unmodifiableMap(managed);
    for (ManagedCertificate m : sites.values()) {
      synchronized (m) {
        CertifiedKey key = ready.get(m);
        if (key != null) {
          maintenance.install(m, key, m.issuer.isPresent() ? "reused from storage" : "loaded");
          m.first.complete(key);
          if (m.issuer.isEmpty()) {
            maintenance.warnAboutProvided(m, key);
          }
        }
      }
      submit(m, false, Optional.empty());
    }
    watchStorage();
    return CompletableFuture.allOf(sites.values().stream().map(m -> m.first).toArray(CompletableFuture[]::new));
  }

  /**
   * Serves what other processes store under {@code live/}: each change is looked at as it is reported, and
   * every {@link #STORAGE_RECHECK} all sites are, should a report be lost (or the storage be unreachable
   * when the watch starts: {@link RetryingWatch}).
   */
  private void watchStorage() {
    if (sites.values().stream().noneMatch(m -> m.issuer.isPresent())) {
      return;
    }
    storageWatch =
        RetryingWatch.start(storage, StorageKeys.LIVE, this::storedCertificateChanged, this::checkStorageForNewer);
    long every = STORAGE_RECHECK.toMillis();
    timers.scheduleWithFixedDelay(this::checkStorageForNewer, every, every, TimeUnit.MILLISECONDS);
  }

  /** A watch report: {@code live/NAME/...} changed, so the site whose primary name is NAME may have news. */
  private void storedCertificateChanged(String key) {
    for (ManagedCertificate m : sites.values()) {
      if (m.issuer.isPresent() && key.startsWith(StorageKeys.liveDir(m.name()))) {
        pickUpNewer(m);
      }
    }
  }

  /**
   * Runs the renewal check for every site now, on the executor. Completes when all checks ran; a failed
   * renewal is handled (logged, retried later) and does not fail it.
   */
  public CompletableFuture<Void> checkNow() {
    return CompletableFuture.allOf(
        sites.values().stream()
            .map(m -> submit(m, false, Optional.empty()).handle((key, failure) -> null))
            .toArray(CompletableFuture[]::new));
  }

  /**
   * Issues a new certificate for the site with primary name {@code name} now, whether due or backing off.
   *
   * @return the new certificate, or fails with the {@link IssuanceException}; the current one stays on failure
   */
  public CompletableFuture<CertifiedKey> renewNow(String name) {
    return renewNow(name, Optional.empty());
  }

  /**
   * {@link #renewNow(String)} for a request to replace the certificate with serial {@code replacing} ({@code
   * certs renew --force}, which every node of a cluster sees): nothing is ordered when that certificate was
   * already replaced, by this process or by another one while this one waited for the name's lock.
   */
  public CompletableFuture<CertifiedKey> renewNow(String name, Optional<String> replacing) {
    ManagedCertificate m = sites.get(name);
    if (m == null || m.issuer.isEmpty()) {
      return CompletableFuture.failedFuture(
          new IllegalArgumentException(name + ": not a site with issued certificates (sites: " + sites.keySet() + ")"));
    }
    return submit(m, true, replacing);
  }

  /** {@link #renewNow} for every site with issued certificates. */
  public CompletableFuture<Void> forceRenewAll() {
    return CompletableFuture.allOf(
        sites.values().stream().filter(m -> m.issuer.isPresent()).map(m -> submit(m, true, Optional.empty()))
            .toArray(CompletableFuture[]::new));
  }

  /**
   * Serves certificates that another process stored since (a {@code certs renew --force} next to a running
   * serve). Meant for SIGHUP or a file watch on the {@code live/} directory; runs on the executor.
   */
  public CompletableFuture<Void> checkStorageForNewer() {
    List<CompletableFuture<?>> all = new ArrayList<>();
    for (ManagedCertificate m : sites.values()) {
      if (m.issuer.isPresent()) {
        try {
          all.add(CompletableFuture.runAsync(() -> pickUpNewer(m), workers));
        } catch (RejectedExecutionException e) {
          all.add(CompletableFuture.failedFuture(new IllegalStateException("the certificate manager is closed")));
        }
      }
    }
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  /**
   * Serves a newer stored certificate for {@code m}. Takes only the site's state, not its lane: a check
   * waiting on the CA or on another node's lock does not hold it up.
   */
  private void pickUpNewer(ManagedCertificate m) {
    synchronized (m) {
      maintenance.newerInStorage(m).ifPresent(key -> {
        maintenance.install(m, key, "picked up from storage");
        m.first.complete(key);
      });
    }
  }

  /**
   * Re-reads every provided certificate and key (SIGHUP, after the operator replaced them). A file that
   * cannot be used keeps the certificate being served.
   *
   * @return one line per file that could not be used, also logged; empty when all were fine
   */
  public List<String> reload() {
    List<String> problems = new ArrayList<>();
    for (ManagedCertificate m : sites.values()) {
      if (m.issuer.isEmpty()) {
        reloadProvided(m).ifPresent(problems::add);
      }
    }
    return problems;
  }

  /** The state of every site's certificate, in configuration order. */
  public List<CertificateStatus> status() {
    return sites.values().stream().map(ManagedCertificate::status).toList();
  }

  /** Stops the checks and interrupts issuance in progress; what is served stays in the cache. */
  @Override
  public synchronized void close() {
    closed = true;
    if (storageWatch != null) {
      storageWatch.close();
    }
    timers.shutdownNow();
    workers.shutdownNow();
  }

  /**
   * @param force issue even if not due
   * @param replacing with {@code force}: the serial the caller wants replaced; a different one served means done
   */
  private CompletableFuture<CertifiedKey> submit(ManagedCertificate m, boolean force, Optional<String> replacing) {
    CompletableFuture<CertifiedKey> result = new CompletableFuture<>();
    try {
      workers.execute(() -> check(m, force, replacing, result));
    } catch (RejectedExecutionException e) {
      result.completeExceptionally(new IllegalStateException("the certificate manager is closed"));
    }
    return result;
  }

  /**
   * The periodic check of one site, and what renewNow/forceRenewAll run; always schedules the next check.
   * Holds the site's lane throughout, its state only while changing it.
   */
  private void check(
      ManagedCertificate m, boolean force, Optional<String> replacing, CompletableFuture<CertifiedKey> result) {
    try {
      m.lane.lockInterruptibly();
    } catch (InterruptedException e) {
      result.completeExceptionally(new IllegalStateException("the certificate manager is closed"));
      return;
    }
    try {
      if (closed) {
        result.completeExceptionally(new IllegalStateException("the certificate manager is closed"));
        return;
      }
      if (m.timer != null) {
        m.timer.cancel(false);
      }
      Throwable failure = null;
      try {
        if (m.issuer.isEmpty()) {
          reloadProvided(m);
        } else {
          maintainIssued(m, force, replacing);
        }
      } catch (IssuanceException e) {
        failure = e;
      } catch (RuntimeException e) {
        LOG.severe("certificate check for " + m.name() + " failed unexpectedly: " + e);
        failure = e;
      } finally {
        synchronized (m) {
          maintenance.logIfCritical(m);
          scheduleNext(m);
          m.publish();
        }
      }
      if (m.current != null) {
        m.first.complete(m.current);
      }
      if (failure == null) {
        result.complete(m.current);
      } else {
        result.completeExceptionally(failure);
      }
    } finally {
      m.lane.unlock();
    }
  }

  /**
   * Issues when there is no certificate, renewal is due, or a name is missing; {@code force} issues anyway.
   *
   * @throws IssuanceException after logging it and scheduling the retry
   */
  private void maintainIssued(ManagedCertificate m, boolean force, Optional<String> replacing)
      throws IssuanceException {
    Instant now = policy.clock().instant();
    if (m.current != null) {
      pickUpNewer(m);
      Optional<RenewalWindow> window = renewalWindow(m);
      synchronized (m) {
        m.schedule = policy.schedule(m.current, window, Optional.ofNullable(m.schedule));
      }
    }
    CertifiedKey before;
    synchronized (m) {
      before = m.current;
      boolean needed = before == null || policy.isDue(m.schedule) || !before.covers(m.site.names());
      if (!force && (!needed || m.backingOff(now))) {
        return;
      }
      if (force && before != null && replacing.isPresent() && !replacing.get().equals(before.serialHex())) {
        return;
      }
    }
    try {
      CertifiedKey key = maintenance.issue(m, force, before);
      synchronized (m) {
        m.recordSuccess(policy.clock().instant());
        if (m.current == null || !key.serialHex().equals(m.current.serialHex())) {
          maintenance.install(m, key, m.current == null ? "issued" : "renewed");
        }
      }
    } catch (IssuanceException e) {
      String error = oneLine(e.getMessage());
      synchronized (m) {
        m.recordFailure(policy.clock().instant(), error, backoff, e.retryAfter());
        LOG.log(e.getCause() instanceof StorageUnavailableException ? Level.FINE : Level.WARNING,
            (m.current == null ? "issuing" : "renewing") + " the certificate for " + m.name() + " failed ("
            + m.issuerName() + "): " + error + "; "
            + (m.current == null
                ? "HTTPS for " + String.join(", ", m.site.names()) + " waits for a certificate"
                : "keeping the current one (valid until " + m.current.notAfter() + ")")
            + "; next attempt at " + m.nextAttempt);
      }
      throw e;
    }
  }

  /** The CA's ARI window; if the CA cannot be asked, the lifetime rule applies until the next check. */
  private Optional<RenewalWindow> renewalWindow(ManagedCertificate m) {
    try {
      return m.issuer.orElseThrow().renewalWindow(m.current);
    } catch (IssuanceException e) {
      LOG.warning("renewal information for " + m.name() + " is unavailable (" + oneLine(e.getMessage())
          + "); using the lifetime rule");
      return Optional.empty();
    }
  }

  private Optional<String> reloadProvided(ManagedCertificate m) {
    synchronized (m) {
      CertificateSource.Provided files = (CertificateSource.Provided) m.site.certificate();
      try {
        CertifiedKey key = CertificateMaintenance.loadProvided(files);
        if (m.current == null || !key.serialHex().equals(m.current.serialHex())
            || !key.privateKey().equals(m.current.privateKey())) {
          maintenance.install(m, key, "reloaded");
          maintenance.warnAboutProvided(m, key);
        }
        return Optional.empty();
      } catch (ConfigException e) {
        String problem = e.getMessage() + "; still serving the certificate loaded before";
        LOG.severe(problem);
        return Optional.of(problem);
      }
    }
  }

  private void scheduleNext(ManagedCertificate m) {
    Instant now = policy.clock().instant();
    Instant next;
    if (m.current == null || m.schedule == null) {
      next = m.nextAttempt != null ? m.nextAttempt : now.plus(policy.jittered(RenewalPolicy.CHECK_INTERVAL));
    } else {
      next = policy.nextCheck(m.schedule);
      if (m.nextAttempt != null && policy.isDue(m.schedule) && m.nextAttempt.isBefore(next)) {
        next = m.nextAttempt;
      }
    }
    long delay = Math.max(0, Duration.between(now, next).toMillis());
    try {
      m.timer = timers.schedule(() -> submit(m, false, Optional.empty()), delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException e) {
      m.timer = null;
    }
  }

  private static String oneLine(String message) {
    return message == null ? "(no message)" : message.replaceAll("\\s*\\R\\s*", " ").trim();
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory base = Executors.defaultThreadFactory();
    return runnable -> {
      Thread thread = base.newThread(runnable);
      thread.setName(prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
