package dev.gatehouse.acme;

import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.ChallengeAnswers;
import dev.gatehouse.certs.IssuanceException;
import dev.gatehouse.certs.IssueRequest;
import dev.gatehouse.certs.Issuer;
import dev.gatehouse.certs.RenewalWindow;
import dev.gatehouse.certs.KeyPairs;
import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.Hostnames;
import dev.gatehouse.config.KeyType;
import dev.gatehouse.store.Storage;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URL;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeoutException;
import org.shredzone.acme4j.Certificate;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.OrderBuilder;
import org.shredzone.acme4j.RenewalInfo;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeLazyLoadingException;
import org.shredzone.acme4j.exception.AcmeProtocolException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.exception.AcmeServerException;

/**
 * Certificates from an ACME CA (RFC 8555) through acme4j: the account per CA and email from storage, one
 * order per certificate with every name as a subjectAltName, challenges chosen from what the CA offers and
 * what this process can answer (falling back to the next solver after a failed validation), polled
 * together, then finalized with a fresh key of the requested type. Renewals send ARI's {@code replaces}
 * (RFC 9773 §5) when the CA offers renewalInfo. A persisted {@link IssuanceBudget} keeps every name well
 * under Let's Encrypt's limits.
 *
 * <p>Safe for concurrent use across different name sets; every call blocks (network, validation waits) and
 * must run on the certificate executor, never on an event loop. Build with {@link #builder}.
 */
public final class AcmeIssuer implements Issuer {

  private static final System.Logger LOG = System.getLogger(AcmeIssuer.class.getName());

  private static final URI ACCOUNT_DOES_NOT_EXIST = URI.create("urn:ietf:params:acme:error:accountDoesNotExist");

  /** RFC 9773 §5: the certificate named in {@code replaces} was already replaced by another order. */
  private static final URI ALREADY_REPLACED = URI.create("urn:ietf:params:acme:error:alreadyReplaced");

  private final AcmeSettings settings;
  private final Session session;
  private final AcmeAccounts accounts;
  private final List<ChallengeSolver> solvers;
  private final IssuanceBudget budget;
  private final ValidationPoller poller;
  private final Duration validationTimeout;
  private final IssuanceProgress progress;

  private AcmeIssuer(Builder b, Session session) {
    this.settings = b.settings;
    this.session = session;
    this.accounts = new AcmeAccounts(b.storage, b.settings);
    this.solvers = List.copyOf(b.solvers);
    this.budget = new IssuanceBudget(b.storage, IssuanceBudget.key(b.settings), b.clock, b.limits);
    this.poller = new ValidationPoller(b.clock);
    this.validationTimeout = b.validationTimeout;
    this.progress = b.progress;
  }

  public static Builder builder(AcmeSettings settings, Storage storage) {
    return new Builder(settings, storage);
  }

  @Override
  public String name() {
    return AcmeSettings.describe(settings.directory());
  }

  @Override
  public CertifiedKey issue(IssueRequest request) throws IssuanceException {
    List<String> names = request.names();
    String label = String.join(", ", names);
    budget.checkAllowed(names);
    progress.step(label + ": ordering a certificate from " + name());
    try {
      Login login = accounts.login(session, progress);
      try {
        return order(login, request);
      } catch (AcmeServerException e) {
        if (!ACCOUNT_DOES_NOT_EXIST.equals(e.getType())) {
          throw e;
        }
        progress.step("the CA no longer knows the stored account; registering it again");
        return order(accounts.reRegister(session, progress), request);
      }
    } catch (AcmeLazyLoadingException e) {
      throw failure(label, (AcmeException) e.getCause());
    } catch (AcmeException e) {
      throw failure(label, e);
    } catch (AcmeProtocolException e) {
      throw new IssuanceException(label + ": the CA's answer breaks the ACME protocol: "
          + FailureLine.oneLine(String.valueOf(e.getMessage())) + " — likely fix: check --ca/--acme-directory",
          Optional.empty(), e);
    } catch (IOException e) {
      throw new IssuanceException(label + ": cannot use the state directory: " + e.getMessage()
          + " — likely fix: check its owner and free space", Optional.empty(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IssuanceException(label + ": interrupted while ordering (shutting down)", Optional.empty(), e);
    }
  }

  private CertifiedKey order(Login login, IssueRequest request)
      throws AcmeException, IssuanceException, IOException, InterruptedException {
    List<String> names = request.names();
    Map<String, List<ChallengeSolver>> candidates = candidates(names);
    Optional<X509Certificate> replaces =
        request.replaces().filter(old -> hasRenewalInfo()).map(CertifiedKey::leaf);
    List<String> failureLines = new ArrayList<>();
    while (true) {
      Order order = newOrder(login, names, replaces);
      List<AuthorizationRound.Failure> failures =
          new AuthorizationRound(candidates, poller, validationTimeout, progress).run(order);
      if (failures.isEmpty()) {
        failureLines.forEach(line -> LOG.log(Level.WARNING, line + " (succeeded with another challenge)"));
        return finish(order, names, request.keyType());
      }
      boolean exhausted = false;
      for (AuthorizationRound.Failure f : failures) {
        budget.recordFailedValidation(f.name());
        failureLines.add(f.line());
        List<ChallengeSolver> left = candidates.computeIfAbsent(f.name(), n -> new ArrayList<>());
        left.removeIf(s -> s.type().equals(f.challengeType()));
        exhausted |= left.isEmpty();
      }
      if (exhausted) {
        throw new IssuanceException(String.join("; ", failureLines));
      }
      budget.checkAllowed(names);
      progress.step("falling back to the next challenge type");
    }
  }

  /** Per name, the solvers that can answer for it; a name no solver can answer is an error up front. */
  private Map<String, List<ChallengeSolver>> candidates(List<String> names) throws IssuanceException {
    Map<String, List<ChallengeSolver>> candidates = new LinkedHashMap<>();
    for (String name : names) {
      List<ChallengeSolver> usable = new ArrayList<>();
      solvers.stream().filter(s -> s.canSolve(name)).forEach(usable::add);
      if (usable.isEmpty()) {
        throw new IssuanceException(name + ": no challenge Gatehouse can answer proves control of this name"
            + " — likely fix: " + (Hostnames.isWildcard(name)
                ? "wildcards need dns-01: pass --dns-hook CMD"
                : "enable the HTTP port (http-01) or the HTTPS port (tls-alpn-01), or pass --dns-hook CMD"));
      }
      candidates.put(name, usable);
    }
    return candidates;
  }

  private Order newOrder(Login login, List<String> names, Optional<X509Certificate> replaces)
      throws AcmeException, IssuanceException {
    OrderBuilder builder = login.newOrder();
    names.forEach(n -> builder.identifier(AcmeIdentifiers.of(n)));
    if (settings.profile().isPresent()) {
      String profile = settings.profile().get();
      Set<String> offered = new TreeSet<>(session.getMetadata().getProfiles());
      if (!offered.contains(profile)) {
        throw new IssuanceException("--profile: '" + profile + "' is not offered by " + name() + " (expected: "
            + (offered.isEmpty() ? "no --profile, this CA has no profiles" : String.join(", ", offered)) + ")");
      }
      builder.profile(profile);
    }
    if (replaces.isEmpty()) {
      return builder.create();
    }
    try {
      return builder.replaces(replaces.get()).create();
    } catch (AcmeServerException e) {
      if (!ALREADY_REPLACED.equals(e.getType())) {
        throw e;
      }
      // Another order already replaced it (a crash after ordering, another process): order without it.
      return newOrder(login, names, Optional.empty());
    }
  }

  private CertifiedKey finish(Order order, List<String> names, KeyType keyType)
      throws AcmeException, IssuanceException, InterruptedException {
    String label = String.join(", ", names);
    await(order, Set.of(Status.READY, Status.VALID, Status.INVALID), label);
    KeyPair keyPair = KeyPairs.generate(keyType);
    if (order.getStatus() == Status.READY) {
      progress.step(label + ": every name validated; finalizing with a new " + keyType.flag() + " key");
      order.execute(keyPair);
      await(order, Set.of(Status.VALID, Status.INVALID), label);
    }
    if (order.getStatus() != Status.VALID) {
      throw new IssuanceException(order.getError()
          .map(p -> label + ": finalizing failed: " + FailureLine.shortType(p) + ": " + FailureLine.oneLine(p.toString())
              + " — likely fix: try --key-type ecdsa-p256; otherwise retry later")
          .orElse(label + ": the CA marked the order " + order.getStatus() + " — likely fix: retry later"));
    }
    Certificate certificate = order.getCertificate();
    certificate.download();
    CertifiedKey issued = new CertifiedKey(certificate.getCertificateChain(), keyPair.getPrivate());
    try {
      budget.recordCertificate(names);
    } catch (IOException e) {
      LOG.log(Level.WARNING, label + ": cannot record the certificate in the issuance budget: " + e.getMessage());
    }
    progress.step(label + ": issued, serial " + issued.serialHex() + ", valid until " + issued.notAfter());
    return issued;
  }

  private void await(Order order, Set<Status> done, String label)
      throws AcmeException, IssuanceException, InterruptedException {
    try {
      poller.awaitAll(List.of(order), done, validationTimeout);
    } catch (TimeoutException e) {
      throw new IssuanceException(label + ": the CA did not finish the order within "
          + validationTimeout.toMinutes() + " min — likely fix: retry later", Optional.empty(), e);
    }
  }

  /**
   * The CA's suggested renewal window for {@code certificate} (RFC 9773 §4.2) with its {@code Retry-After},
   * or empty when the CA's directory has no {@code renewalInfo}. {@link dev.gatehouse.certs.RenewalPolicy}
   * picks the moment, clamps Retry-After and ignores an unusable window. A window the CA explains (an
   * incident, a mass revocation) is logged with the CA's explanation.
   *
   * @throws IssuanceException when the CA cannot be reached or its answer cannot be read
   */
  @Override
  public Optional<RenewalWindow> renewalWindow(CertifiedKey certificate) throws IssuanceException {
    String label = String.join(", ", certificate.names()) + ": renewal info";
    try {
      Optional<URL> base = session.resourceUrlOptional(Resource.RENEWAL_INFO);
      if (base.isEmpty()) {
        return Optional.empty();
      }
      // renewalInfo is fetched with a plain GET (RFC 9773 §4.1); acme4j binds every resource to a Login,
      // which this request never uses, so a throwaway key stands in for an account.
      Login anonymous = new Login(base.get(), KeyPairs.generate(KeyType.ECDSA_P256), session);
      RenewalInfo info = anonymous.bindRenewalInfo(certificate.leaf());
      Optional<Instant> retryAfter = info.fetch();
      RenewalWindow window =
          new RenewalWindow(info.getSuggestedWindowStart(), info.getSuggestedWindowEnd(), retryAfter);
      info.getExplanation().ifPresent(url -> LOG.log(Level.WARNING, label + ": " + name()
          + " suggests renewing between " + window.start() + " and " + window.end() + ", explained at " + url));
      return Optional.of(window);
    } catch (AcmeLazyLoadingException e) {
      throw failure(label, (AcmeException) e.getCause());
    } catch (AcmeException e) {
      throw failure(label, e);
    } catch (AcmeProtocolException e) {
      throw new IssuanceException(label + ": unusable answer from " + name() + ": "
          + FailureLine.oneLine(String.valueOf(e.getMessage())) + " — the lifetime rule applies meanwhile",
          Optional.empty(), e);
    }
  }

  /**
   * Revokes {@code certificate}, signed with its own key (RFC 8555 §7.6), so it works whichever account
   * ordered it.
   */
  public void revoke(CertifiedKey certificate, RevokeReason reason) throws IssuanceException {
    String label = String.join(", ", certificate.names());
    try {
      KeyPair domainKey = new KeyPair(certificate.leaf().getPublicKey(), certificate.privateKey());
      Certificate.revoke(session, domainKey, certificate.leaf(), reason.acme());
    } catch (AcmeException e) {
      throw failure(label, e);
    } catch (AcmeProtocolException e) {
      throw new IssuanceException(label + ": cannot revoke: " + e.getMessage(), Optional.empty(), e);
    }
  }

  private boolean hasRenewalInfo() {
    try {
      return session.resourceUrlOptional(Resource.RENEWAL_INFO).isPresent();
    } catch (AcmeException e) {
      return false;
    }
  }

  private IssuanceException failure(String label, AcmeException e) {
    Optional<Instant> retryAfter = e instanceof AcmeRateLimitedException limited ? limited.getRetryAfter()
        : Optional.empty();
    return new IssuanceException(FailureLine.request(label, settings.directory().toString(), e), retryAfter, e);
  }

  /** Builds an {@link AcmeIssuer}; not thread-safe, used once. */
  public static final class Builder {
    private final AcmeSettings settings;
    private final Storage storage;
    private final List<ChallengeSolver> solvers = new ArrayList<>();
    private IssuanceProgress progress = IssuanceProgress.SILENT;
    private Clock clock = Clock.systemUTC();
    private IssuanceBudget.Limits limits = IssuanceBudget.Limits.DEFAULT;
    private Duration validationTimeout = ValidationPoller.DEFAULT_TIMEOUT;

    private Builder(AcmeSettings settings, Storage storage) {
      this.settings = settings;
      this.storage = storage;
    }

    /** Adds a solver; solvers are preferred in the order they are added. */
    public Builder solver(ChallengeSolver solver) {
      solvers.add(solver);
      return this;
    }

    /**
     * For {@code serve}: answers through {@code responses}, which its own listeners serve (and, for {@link
     * dev.gatehouse.certs.SharedChallenges}, every node's): http-01 when the HTTP port is on, then tls-alpn-01
     * when the HTTPS port is on (so issuance works with port 80 closed).
     *
     * @param httpPort the plain-HTTP port, 0 when off
     * @param httpsPort the HTTPS port, 0 when off
     */
    public Builder answerInProcess(ChallengeAnswers responses, int httpPort, int httpsPort) {
      if (httpPort > 0) {
        solver(new Http01Solver(Http01Responder.inProcess(responses, "port " + httpPort)));
      }
      if (httpsPort > 0) {
        solver(new TlsAlpn01Solver(responses));
      }
      return this;
    }

    public Builder progress(IssuanceProgress progress) {
      this.progress = progress;
      return this;
    }

    public Builder validationTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("validationTimeout: " + timeout + " (expected: > 0)");
      }
      this.validationTimeout = timeout;
      return this;
    }

    Builder clock(Clock clock) {
      this.clock = clock;
      return this;
    }

    Builder budgetLimits(IssuanceBudget.Limits limits) {
      this.limits = limits;
      return this;
    }

    /**
     * Opens the session (no network yet). A dns-01 solver for {@link AcmeSettings#dnsHook()} is added after
     * the others unless one was added already.
     *
     * @throws ConfigException when a {@code --acme-trust} file is unusable or {@code --ca} names no provider
     */
    public AcmeIssuer build() throws ConfigException {
      if (settings.dnsHook().isPresent() && solvers.stream().noneMatch(s -> s.type().equals("dns-01"))) {
        solvers.add(new Dns01HookSolver(settings.dnsHook().get()));
      }
      return new AcmeIssuer(this, AcmeSessions.open(settings));
    }
  }
}
