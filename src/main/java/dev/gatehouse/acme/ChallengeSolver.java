package dev.gatehouse.acme;

import dev.gatehouse.certs.IssuanceException;
import org.shredzone.acme4j.challenge.Challenge;

/**
 * One way of proving control of a name to the CA (RFC 8555 §8). {@link AcmeIssuer} tries its solvers in
 * order, taking the first one the CA offers for a name, and falls back to the next after a failed
 * validation. Implementations are safe for concurrent use; {@link #publish} may block (files, hooks).
 */
public interface ChallengeSolver {

  /** The ACME challenge type this solver answers: {@code http-01}, {@code tls-alpn-01}, {@code dns-01}. */
  String type();

  /**
   * Whether this solver can prove control of {@code name}. Wildcards only by dns-01 (RFC 8555 §7.1.3,
   * RFC 8737 §3).
   */
  boolean canSolve(String name);

  /**
   * Makes the response to {@code challenge} for {@code name} visible to the CA, and returns what takes it
   * away again once the validation is over.
   *
   * @throws IssuanceException when the response cannot be published (a hook failed, a directory is not
   *     writable); the message is one line with the fix
   */
  Published publish(String name, Challenge challenge) throws IssuanceException;

  /**
   * Returns once every response published so far can be seen by the CA: at once, except for answers shared
   * by the nodes of a cluster, which take the storage's reporting time to reach every node.
   */
  default void awaitVisible() throws InterruptedException {}

  /** A published response. */
  interface Published {
    /** Withdraws the response. Never throws: failures are logged, validation is already over. */
    void withdraw();
  }
}
