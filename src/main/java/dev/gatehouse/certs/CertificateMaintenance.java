package dev.gatehouse.certs;

import dev.gatehouse.config.CertificateSource;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.Hostnames;
import dev.gatehouse.config.KeyType;
import dev.gatehouse.store.LockTimeoutException;
import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StorageKeys;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;

/**
 * The work on one {@link ManagedCertificate}: reuse what storage holds, issue, store, re-read provided files,
 * and the log line for each outcome. Callers hold the certificate's lane for {@link #issue} and its monitor
 * for the methods that change it ({@link #install}); every method blocks on I/O or on the CA and runs on the
 * manager's threads (or at startup, on the thread that starts the manager).
 */
final class CertificateMaintenance {

  private static final Logger LOG = Logger.getLogger(CertificateManager.class.getName());

  private final Storage storage;
  private final CertificateStore store;
  private final CertificateCache cache;
  private final RenewalPolicy policy;
  private final KeyType acmeKeyType;
  private final IssuanceLimits limits;
  /** Where each call of {@link Issuer#issue} runs, so that the caller can stop waiting for it. */
  private final ExecutorService orders;

  CertificateMaintenance(
      Storage storage,
      CertificateCache cache,
      RenewalPolicy policy,
      KeyType acmeKeyType,
      IssuanceLimits limits,
      ExecutorService orders) {
    this.storage = storage;
    this.store = new CertificateStore(storage);
    this.cache = cache;
    this.policy = policy;
    this.acmeKeyType = acmeKeyType;
    this.limits = limits;
    this.orders = orders;
  }

  /**
   * The operator's certificate and key files, checked.
   *
   * @throws ConfigException naming the file and what is wrong with it
   */
  static CertifiedKey loadProvided(CertificateSource.Provided files) throws ConfigException {
    try {
      return Pem.readCertifiedKey(files.certificateChain(), files.privateKey());
    } catch (CertificateFileException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /** Warnings about provided files that load but will not please every client; they are served anyway. */
  void warnAboutProvided(ManagedCertificate m, CertifiedKey key) {
    List<String> uncovered =
        m.site.names().stream()
            .filter(n -> key.names().stream().noneMatch(c -> Hostnames.matches(c, n)))
            .toList();
    if (!uncovered.isEmpty()) {
      LOG.warning(((CertificateSource.Provided) m.site.certificate()).certificateChain()
          + ": certificate does not cover " + uncovered + " (it has " + key.names() + "); browsers will refuse"
          + " those names");
    }
    if (!policy.clock().instant().isBefore(key.notAfter())) {
      LOG.severe(((CertificateSource.Provided) m.site.certificate()).certificateChain()
          + ": certificate expired at " + key.notAfter() + "; browsers will refuse it");
    }
  }

  /**
   * The stored certificate if it can be served for this site: complete, matching its key, covering every
   * name, not expired, and not recorded as another issuer's (a switch from staging to production issues
   * anew). Otherwise empty, with one log line saying why when {@code explain}.
   */
  Optional<CertifiedKey> reusableFromStorage(ManagedCertificate m, boolean explain) {
    String name = m.name();
    Optional<CertifiedKey> stored;
    try {
      stored = store.load(name);
    } catch (CertificateFileException e) {
      if (explain) {
        LOG.warning("stored certificate for " + name + " is unusable (" + e.getMessage() + "); issuing a new one");
      }
      return Optional.empty();
    } catch (IOException e) {
      if (explain) {
        LOG.warning("cannot read the stored certificate for " + name + " (" + e + "); issuing a new one");
      }
      return Optional.empty();
    }
    if (stored.isEmpty()) {
      return stored;
    }
    CertifiedKey key = stored.get();
    String why = null;
    if (!key.covers(m.site.names())) {
      why = "it covers " + key.names() + ", not every one of " + m.site.names();
    } else if (!policy.clock().instant().isBefore(key.notAfter())) {
      why = "it expired at " + key.notAfter();
    } else {
      Optional<String> recorded = recordedIssuer(name, key);
      String wanted = m.issuerName();
      if (recorded.isPresent() && !recorded.get().equals(wanted)) {
        why = "it was issued by " + recorded.get() + " and this site now uses " + wanted;
      }
    }
    if (why != null) {
      if (explain) {
        LOG.info("stored certificate for " + name + " is not reused: " + why + "; issuing a new one");
      }
      return Optional.empty();
    }
    return stored;
  }

  /**
   * Issues and stores a certificate under the storage lock of the name set, so that two processes (the nodes
   * of a cluster, serve and {@code certs renew}) never order the same certificate at once. A certificate newer
   * than {@code before} that another process stored (while this one waited for the lock, typically) is taken
   * instead of ordering: unless {@code force}, if it is not due; with {@code force} in any case, since it
   * replaced {@code before} as asked (every node of a cluster sees one {@code certs renew --force}).
   *
   * @param before the certificate served when the check decided to issue (null if none)
   * @throws IssuanceException also when the lock stays taken past {@link IssuanceLimits#lockWait()} or the
   *     issuer takes longer than {@link IssuanceLimits#orderTimeout()}
   */
  CertifiedKey issue(ManagedCertificate m, boolean force, CertifiedKey before) throws IssuanceException {
    Issuer issuer = m.issuer.orElseThrow();
    String name = m.name();
    String lockName = StorageKeys.certificateLock(name);
    Storage.Lock lock;
    try {
      lock = storage.lock(lockName, limits.lockWait());
    } catch (LockTimeoutException e) {
      throw new IssuanceException(name + ": another process has been ordering this certificate for over "
          + limits.lockWait().toSeconds() + " s (storage lock " + lockName + "); trying again later",
          Optional.empty(), e);
    } catch (IOException e) {
      throw new IssuanceException("cannot lock " + lockName + ": " + e.getMessage(), Optional.empty(), e);
    }
    try {
      Optional<CertifiedKey> stored = reusableFromStorage(m, false);
      if (stored.isPresent()
          && isNewer(stored.get(), before)
          && (force || !policy.isDue(policy.schedule(stored.get(), Optional.empty(), Optional.empty())))) {
        LOG.info("certificate for " + name + " was obtained by another process (serial " + stored.get().serialHex()
            + "); using it");
        return stored.get();
      }
      KeyType keyType = m.site.certificate() instanceof CertificateSource.Acme ? acmeKeyType : KeyType.ECDSA_P256;
      CertifiedKey key = boundedIssue(issuer, new IssueRequest(m.site.names(), keyType, Optional.ofNullable(before)));
      try {
        store.save(name, key, issuer.name());
      } catch (IOException e) {
        LOG.warning("certificate for " + name + " (serial " + key.serialHex() + ") was issued but cannot be stored ("
            + e.getMessage() + "); serving it from memory, the next start issues again");
      }
      return key;
    } finally {
      try {
        lock.close();
      } catch (IOException e) {
        LOG.warning("cannot release " + lockName + ": " + e.getMessage());
      }
    }
  }

  /** {@link Issuer#issue} on its own thread, given up on (and interrupted) after the order timeout. */
  private CertifiedKey boundedIssue(Issuer issuer, IssueRequest request) throws IssuanceException {
    Future<CertifiedKey> call = orders.submit(() -> issuer.issue(request));
    try {
      return call.get(limits.orderTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IssuanceException failure) {
        throw failure;
      }
      throw new IssuanceException(String.join(", ", request.names()) + ": " + issuer.name() + " failed unexpectedly: "
          + e.getCause(), Optional.empty(), e.getCause());
    } catch (TimeoutException e) {
      call.cancel(true);
      throw new IssuanceException(String.join(", ", request.names()) + ": " + issuer.name()
          + " did not finish the order within " + limits.orderTimeout().toSeconds() + " s; gave up on it",
          Optional.empty(), e);
    } catch (InterruptedException e) {
      call.cancel(true);
      Thread.currentThread().interrupt();
      throw new IssuanceException(String.join(", ", request.names()) + ": interrupted while ordering (shutting down)",
          Optional.empty(), e);
    }
  }

  /**
   * A certificate in storage newer than the one served (stored by {@code certs renew} in another process), or
   * empty. Damaged or partly written files are passed over quietly: the served certificate stays.
   */
  Optional<CertifiedKey> newerInStorage(ManagedCertificate m) {
    return reusableFromStorage(m, false).filter(stored -> isNewer(stored, m.current));
  }

  /** Serves {@code key} for the site's names and records it as current. */
  void install(ManagedCertificate m, CertifiedKey key, String how) {
    m.current = key;
    cache.put(m.site.names(), key);
    if (m.issuer.isPresent()) {
      m.schedule = policy.schedule(key, Optional.empty(), Optional.empty());
    }
    m.publish();
    LOG.info("certificate for " + String.join(", ", m.site.names()) + " " + how + ": serial " + key.serialHex()
        + ", issuer " + m.issuerName() + ", valid until " + key.notAfter()
        + (m.schedule == null ? "" : ", renews at " + m.schedule.renewAt() + " (" + m.schedule.reason() + ")"));
  }

  /** The error logged on every check while less than a tenth of the lifetime is left. */
  void logIfCritical(ManagedCertificate m) {
    CertifiedKey key = m.current;
    if (key == null || !policy.isCritical(key)) {
      return;
    }
    Duration left = Duration.between(policy.clock().instant(), key.notAfter());
    String state = left.isNegative() ? "expired at " + key.notAfter() : "expires at " + key.notAfter() + " (in "
        + left.toHours() + "h, under 1/10 of its lifetime)";
    String because =
        m.issuer.isEmpty()
            ? "; replace " + ((CertificateSource.Provided) m.site.certificate()).certificateChain()
                + " and send SIGHUP"
            : m.lastError == null ? " and is not renewed yet" : " and renewal keeps failing: " + m.lastError;
    LOG.severe("certificate for " + m.name() + " " + state + because);
  }

  private Optional<String> recordedIssuer(String name, CertifiedKey key) {
    try {
      return store.issuerOf(name, key);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * Whether the stored {@code candidate} replaces {@code current}: another serial, not older. Two certificates
   * of the same second (notBefore has second precision) are told apart by storage alone, which holds the one
   * stored last.
   */
  private static boolean isNewer(CertifiedKey candidate, CertifiedKey current) {
    return current == null
        || (!candidate.serialHex().equals(current.serialHex()) && !candidate.notBefore().isBefore(current.notBefore()));
  }
}
