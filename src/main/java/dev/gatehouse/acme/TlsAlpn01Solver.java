package dev.gatehouse.acme;

import dev.gatehouse.certs.ChallengeAnswers;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.certs.IssuanceException;
import java.io.IOException;
import dev.gatehouse.config.Hostnames;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.TlsAlpn01Challenge;

/**
 * tls-alpn-01 (RFC 8737): while pending, a TLS handshake for the name that offers only the {@code
 * acme-tls/1} protocol gets the challenge's {@link TlsAlpn01Certificate}. The HTTPS listener answers from
 * {@link ChallengeResponses#tlsAlpn01}, so issuance works when only port 443 is reachable.
 */
public final class TlsAlpn01Solver implements ChallengeSolver {

  private final ChallengeAnswers responses;

  /** Answers through {@code responses}: this process's listener, or every node's ({@code SharedChallenges}). */
  public TlsAlpn01Solver(ChallengeAnswers responses) {
    this.responses = responses;
  }

  @Override
  public String type() {
    return TlsAlpn01Challenge.TYPE;
  }

  @Override
  public boolean canSolve(String name) {
    return !Hostnames.isWildcard(name);
  }

  @Override
  public Published publish(String name, Challenge challenge) throws IssuanceException {
    TlsAlpn01Challenge alpn = (TlsAlpn01Challenge) challenge;
    try {
      responses.putTlsAlpn01(name, TlsAlpn01Certificate.create(name, alpn.getAcmeValidation()));
    } catch (IOException e) {
      throw new IssuanceException(name + ": cannot share the tls-alpn-01 answer with the other nodes: "
          + e.getMessage() + " — likely fix: check that the store is reachable");
    }
    return () -> responses.removeTlsAlpn01(name);
  }

  @Override
  public void awaitVisible() throws InterruptedException {
    responses.awaitVisible();
  }

  @Override
  public String toString() {
    return "tls-alpn-01 on port 443";
  }
}
