package dev.gatehouse.acme;

import dev.gatehouse.certs.IssuanceException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * Proves control of every name of one order: for each pending authorization, the first solver the CA
 * offers a challenge for; every response is published first (and visible wherever the CA may connect), then
 * every challenge triggered, then all are polled together (RFC 8555 §7.5.1), and every response is withdrawn
 * again, whatever happened.
 */
final class AuthorizationRound {

  /** A name whose validation failed with the challenge type tried. */
  record Failure(String name, String challengeType, String line) {}

  private final Map<String, List<ChallengeSolver>> candidates;
  private final ValidationPoller poller;
  private final Duration timeout;
  private final IssuanceProgress progress;

  /**
   * @param candidates per name, the solvers still worth trying, in preference order
   */
  AuthorizationRound(Map<String, List<ChallengeSolver>> candidates, ValidationPoller poller, Duration timeout,
      IssuanceProgress progress) {
    this.candidates = candidates;
    this.poller = poller;
    this.timeout = timeout;
    this.progress = progress;
  }

  /**
   * @return the names that failed validation (empty when every authorization is valid)
   * @throws IssuanceException when no offered challenge can be answered, a response cannot be published,
   *     or the CA does not finish in time
   */
  List<Failure> run(Order order) throws AcmeException, IssuanceException, InterruptedException {
    Map<Authorization, Attempt> attempts = new LinkedHashMap<>();
    List<ChallengeSolver.Published> published = new ArrayList<>();
    try {
      for (Authorization auth : order.getAuthorizations()) {
        String name = nameOf(auth);
        if (auth.getStatus() == Status.VALID) {
          progress.step(name + ": already validated");
          continue;
        }
        if (auth.getStatus() != Status.PENDING) {
          throw new IssuanceException(name + ": the CA reports this authorization as " + auth.getStatus()
              + " — likely fix: retry; if it persists, the CA refuses this name");
        }
        Attempt attempt = choose(name, auth);
        published.add(attempt.solver.publish(name, attempt.challenge));
        progress.step(name + ": answering " + attempt.solver);
        attempts.put(auth, attempt);
      }
      for (ChallengeSolver solver : new LinkedHashSet<>(attempts.values().stream().map(Attempt::solver).toList())) {
        solver.awaitVisible();
      }
      for (Attempt attempt : attempts.values()) {
        attempt.challenge.trigger();
      }
      if (!attempts.isEmpty()) {
        progress.step("waiting for the CA to validate " + attempts.size()
            + (attempts.size() == 1 ? " name" : " names"));
        try {
          poller.awaitAll(List.copyOf(attempts.keySet()), Set.of(Status.VALID, Status.INVALID,
              Status.DEACTIVATED, Status.EXPIRED, Status.REVOKED), timeout);
        } catch (TimeoutException e) {
          throw new IssuanceException(String.join(", ", names(attempts)) + ": the CA did not finish validating"
              + " within " + timeout.toMinutes() + " min (" + e.getMessage() + ") — likely fix: retry later;"
              + " check the CA's status page");
        }
      }
    } finally {
      published.forEach(ChallengeSolver.Published::withdraw);
    }
    List<Failure> failures = new ArrayList<>();
    for (var entry : attempts.entrySet()) {
      Attempt attempt = entry.getValue();
      if (entry.getKey().getStatus() == Status.VALID) {
        progress.step(attempt.name + ": validated by " + attempt.solver.type());
        continue;
      }
      Problem problem = problemOf(entry.getKey(), attempt.solver.type()).orElse(null);
      String line = problem == null
          ? attempt.name + ": " + attempt.solver.type() + " validation failed without a reason from the CA"
              + " (authorization " + entry.getKey().getStatus() + ") — likely fix: retry"
          : FailureLine.validation(attempt.name, attempt.solver.type(), problem);
      progress.step(line);
      failures.add(new Failure(attempt.name, attempt.solver.type(), line));
    }
    return failures;
  }

  private record Attempt(String name, ChallengeSolver solver, Challenge challenge) {}

  private Attempt choose(String name, Authorization auth) throws IssuanceException {
    List<ChallengeSolver> usable = candidates.getOrDefault(name, List.of());
    for (ChallengeSolver solver : usable) {
      Optional<Challenge> offered = auth.findChallenge(solver.type());
      if (offered.isPresent()) {
        return new Attempt(name, solver, offered.get());
      }
    }
    List<String> offeredTypes = auth.getChallenges().stream().map(Challenge::getType).toList();
    List<String> ours = usable.stream().map(ChallengeSolver::type).toList();
    throw new IssuanceException(name + ": the CA offers " + offeredTypes + " but Gatehouse can answer only "
        + ours + " here — likely fix: " + (offeredTypes.contains("dns-01")
            ? "pass --dns-hook" : "open port 80 (http-01) or 443 (tls-alpn-01) to the CA"));
  }

  /** Wildcard authorizations carry the base domain and {@code wildcard: true} (RFC 8555 §7.1.4). */
  static String nameOf(Authorization auth) {
    String name = AcmeIdentifiers.name(auth.getIdentifier());
    return auth.isWildcard() ? "*." + name : name;
  }

  private static Optional<Problem> problemOf(Authorization auth, String type) {
    return auth.getChallenges().stream()
        .filter(c -> c.getType().equals(type))
        .map(Challenge::getError)
        .flatMap(Optional::stream)
        .findFirst();
  }

  private static List<String> names(Map<Authorization, Attempt> attempts) {
    return attempts.values().stream().map(Attempt::name).toList();
  }
}
