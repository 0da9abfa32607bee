package dev.gatehouse.cli;

import dev.gatehouse.admin.AdminServer;
import dev.gatehouse.admin.ServedState;
import dev.gatehouse.certs.CertificateCache;
import dev.gatehouse.certs.CertificateStatus;
import dev.gatehouse.certs.CertificateManager;
import dev.gatehouse.certs.ChallengeAnswers;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.certs.OnDemandCertificates;
import dev.gatehouse.certs.RetryingWatch;
import dev.gatehouse.certs.SharedChallenges;
import dev.gatehouse.acme.AcmeIssuer;
import dev.gatehouse.certs.Issuer;
import dev.gatehouse.certs.IssuerSelector;
import dev.gatehouse.config.CertificateSource;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.localca.LocalCaIssuer;
import dev.gatehouse.proxy.GatehouseServer;
import dev.gatehouse.proxy.HstsRampState;
import dev.gatehouse.proxy.HstsStage;
import dev.gatehouse.store.FileStorage;
import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StorageKeys;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One running {@code serve}: the proxy, the certificates behind it, and how a new configuration replaces
 * the old one. Certificates and the proxy share one {@link CertificateCache}, so a renewal or a reload is a
 * map swap that new handshakes see and open connections never notice.
 */
final class RunningGatehouse implements AutoCloseable, ServedState {

  private static final Logger LOG = Logger.getLogger(RunningGatehouse.class.getName());
  /** Issuance steps are logged under the issuer's area ({@code acme}), where an operator looks for them. */
  private static final Logger ISSUANCE_LOG = Logger.getLogger(AcmeIssuer.class.getName());

  /** How long start waits for local-CA and provided certificates before it gives up. */
  static final Duration LOCAL_CERTIFICATES_TIMEOUT = Duration.ofSeconds(60);

  private final CertificateCache cache = new CertificateCache();
  private final ChallengeResponses challenges = new ChallengeResponses();
  private final Storage storage;
  /** This machine's own state: the pid and renewal requests that link {@code certs} to this process. */
  private final FileStorage localState;
  /**
   * Where this process's orders put their challenge answers: {@link #challenges} alone, or, on a storage
   * other nodes share, the storage too (whichever node the CA reaches answers).
   */
  private final ChallengeAnswers answers;
  private final Optional<SharedChallenges> sharedChallenges;
  private Optional<Storage.Subscription> renewalRequests = Optional.empty();
  private GatehouseServer server;
  private ServeConfig config;
  private volatile CertificateManager certificates;
  private AdminServer admin;

  private RunningGatehouse(ServeConfig config, boolean signOnDemand) throws ConfigException {
    this.config = config;
    this.localState = StorageOpener.stateDir(config.stateDir());
    this.storage = StorageOpener.open(config.store(), config.stateDir());
    this.sharedChallenges = shareChallenges(storage, challenges);
    this.answers = sharedChallenges.<ChallengeAnswers>map(shared -> shared).orElse(challenges);
    try {
      this.certificates = newManager(config);
    } catch (ConfigException | RuntimeException e) {
      sharedChallenges.ifPresent(SharedChallenges::close);
      StorageOpener.close(storage);
      throw e;
    }
    HstsRampState hstsState = new StoredHstsRampState(storage);
    boolean acmeSites = config.sites().stream().anyMatch(s -> s.certificate() instanceof CertificateSource.Acme);
    Optional<OnDemandCertificates> onDemand =
        signOnDemand
            ? Optional.of(new OnDemandCertificates(new LocalCaIssuer(storage), config.acme().keyType(), cache))
            : Optional.empty();
    try {
      if (acmeSites) {
        // ACME challenges need the listeners, and port 80 redirects while certificates arrive: bind first.
        this.server = GatehouseServer.start(config, cache, challenges, hstsState, onDemand, Clock.systemUTC());
        certificates.start();
      } else {
        // Local CA and provided certificates take a moment: once the ports accept, HTTPS works.
        awaitCertificates(certificates.start());
        this.server = GatehouseServer.start(config, cache, challenges, hstsState, onDemand, Clock.systemUTC());
      }
      if (config.admin().isPresent()) {
        admin = AdminServer.start(config.admin().get(), this, Version.number());
        server.observeRequests(admin.requestObserver());
        server.observeTlsHandshakes(admin.tlsHandshakeObserver());
      }
      CertsServeLink.announce(localState);
      renewalRequests =
          Optional.of(RetryingWatch.start(storage, StorageKeys.RENEW_REQUESTS, this::renewalRequested, () -> {}));
    } catch (IOException | RuntimeException e) {
      close(certificates, Duration.ZERO);
      throw new ConfigException(e.getMessage());
    } catch (ConfigException e) {
      close(certificates, Duration.ZERO);
      throw e;
    }
  }

  private static void awaitCertificates(CompletableFuture<Void> issued) throws ConfigException {
    try {
      issued.get(LOCAL_CERTIFICATES_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConfigException("interrupted while loading certificates");
    } catch (ExecutionException | TimeoutException e) {
      throw new ConfigException("certificates not ready after " + LOCAL_CERTIFICATES_TIMEOUT.toSeconds() + " s: "
          + (e.getCause() == null ? e : e.getCause()).getMessage());
    }
  }

  /**
   * The challenge answers of a storage other nodes share: every store but the state directory, which is one
   * machine's. Empty for the state directory.
   */
  private static Optional<SharedChallenges> shareChallenges(Storage storage, ChallengeResponses challenges) {
    return storage instanceof FileStorage ? Optional.empty() : Optional.of(SharedChallenges.start(storage, challenges));
  }

  /** Closes what a failed start had opened: the certificate manager and, if bound, the listeners. */
  private void close(CertificateManager manager, Duration drain) {
    if (admin != null) {
      admin.close();
    }
    if (server != null) {
      server.close(drain);
    }
    manager.close();
    sharedChallenges.ifPresent(SharedChallenges::close);
    renewalRequests.ifPresent(Storage.Subscription::close);
    StorageOpener.close(storage);
  }

  /**
   * Loads or issues every site's certificate and binds the listeners. Certificates that must be issued
   * arrive in the background: port 80 answers challenges and redirects from the start.
   *
   * @throws ConfigException a one-line startup error: an unreadable or mismatched certificate, a port in
   *     use or below 1024 without permission, an unusable state directory
   */
  static RunningGatehouse start(ServeConfig config) throws ConfigException {
    return new RunningGatehouse(config, false);
  }

  /**
   * As {@link #start}, for {@code gatehouse dev}: also serves every {@code NAME.localhost}, signing its
   * certificate with the local CA on the first handshake that asks ({@link OnDemandCertificates}).
   */
  static RunningGatehouse startDev(ServeConfig config) throws ConfigException {
    return new RunningGatehouse(config, true);
  }

  /** One ACME issuer for every ACME site (each site's names in one order), the local CA for the rest. */
  private CertificateManager newManager(ServeConfig config) throws ConfigException {
    LocalCaIssuer localCa = new LocalCaIssuer(storage);
    Optional<Issuer> acme = Optional.empty();
    if (config.sites().stream().anyMatch(s -> s.certificate() instanceof CertificateSource.Acme)) {
      acme =
          Optional.of(
              AcmeIssuer.builder(config.acme(), storage)
                  .answerInProcess(answers, config.httpPort(), config.httpsPort())
                  .progress(line -> ISSUANCE_LOG.info(line))
                  .build());
    }
    return new CertificateManager(config, storage, cache, IssuerSelector.bySource(localCa, acme));
  }

  /**
   * Replaces the configuration: a new certificate manager on the same cache (stored certificates are
   * reused), then the proxy's routes. If the new certificates cannot be loaded the old configuration stays.
   * Also picks up certificates another process ({@code gatehouse certs renew}) stored.
   */
  synchronized void reload(ServeConfig next) {
    if (next.httpPort() != config.httpPort()
        || next.httpsPort() != config.httpsPort()
        || !next.bind().equals(config.bind())
        || !next.stateDir().equals(config.stateDir())
        || !next.store().equals(config.store())
        || !next.admin().equals(config.admin())) {
      LOG.log(Level.SEVERE, "reload refused, still serving the previous configuration: listen addresses,"
          + " --admin, --state-dir and --store take effect on restart only");
      return;
    }
    CertificateManager replacement;
    try {
      replacement = newManager(next);
      replacement.start();
    } catch (ConfigException e) {
      LOG.log(Level.SEVERE, "reload refused, still serving the previous configuration: " + e.getMessage());
      return;
    }
    CertificateManager old = certificates;
    certificates = replacement;
    config = next;
    old.close();
    server.reload(next);
    List<String> failures = certificates.reload();
    failures.forEach(f -> LOG.log(Level.SEVERE, f));
    pickUpCertsCommand();
    LOG.info("reloaded: " + next.sites().size() + " site(s)");
  }

  /**
   * What {@code gatehouse certs renew} asked for: renewals of certificates this process obtained (it holds
   * the challenge ports), and certificates it stored itself.
   */
  synchronized void pickUpCertsCommand() {
    try {
      CertsServeLink.takeRenewalRequests(localState).forEach(r -> certificates.renewNow(r.name(), r.replacing()));
    } catch (IOException e) {
      LOG.log(Level.SEVERE, "cannot read renewal requests from " + config.stateDir() + ": " + e.getMessage());
    }
    certificates.checkStorageForNewer();
  }

  /**
   * Storage reported a change under {@link StorageKeys#RENEW_REQUESTS}: a {@code certs renew --force} for a
   * certificate serve obtains, possibly on another node. Every node renews it unless it was already replaced,
   * so one orders; the request is removed once this node has the new certificate.
   */
  private void renewalRequested(String key) {
    Optional<CertsServeLink.RenewalRequest> request;
    try {
      request = CertsServeLink.renewalRequest(storage, key);
    } catch (IOException e) {
      LOG.log(Level.FINE, "cannot read the renewal request " + key + ": " + e.getMessage());
      return;
    }
    if (request.isEmpty()) {
      return;
    }
    CertificateManager manager;
    synchronized (this) {
      manager = certificates;
    }
    manager.renewNow(request.get().name(), request.get().replacing()).thenRun(() -> {
      try {
        storage.delete(key);
      } catch (IOException e) {
        LOG.log(Level.FINE, "cannot remove the answered renewal request " + key + ": " + e.getMessage());
      }
    });
  }

  /** SIGUSR1: the access log file opened again at its path, for logrotate. */
  synchronized void reopenAccessLog() {
    server.reopenAccessLog();
  }

  @Override
  public ServeConfig config() {
    return server.config();
  }

  @Override
  public List<CertificateStatus> certificates() {
    return certificates.status();
  }

  @Override
  public List<HstsStage> hstsStages() {
    return server.hstsStages();
  }

  @Override
  public synchronized void close() {
    renewalRequests.ifPresent(Storage.Subscription::close);
    if (admin != null) {
      admin.close();
    }
    server.close(config.limits().drainTimeout());
    certificates.close();
    sharedChallenges.ifPresent(SharedChallenges::close);
    try {
      CertsServeLink.withdraw(localState);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot remove " + StorageKeys.SERVE_PID + ": " + e.getMessage());
    }
    StorageOpener.close(storage);
  }
}
