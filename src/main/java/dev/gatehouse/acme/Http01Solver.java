package dev.gatehouse.acme;

import dev.gatehouse.certs.IssuanceException;
import dev.gatehouse.config.Hostnames;
import java.io.IOException;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Http01Challenge;

/** http-01 (RFC 8555 §8.3): the key authorization at {@code http://NAME/.well-known/acme-challenge/TOKEN}. */
public final class Http01Solver implements ChallengeSolver {

  private final Http01Responder responder;

  public Http01Solver(Http01Responder responder) {
    this.responder = responder;
  }

  @Override
  public String type() {
    return Http01Challenge.TYPE;
  }

  @Override
  public boolean canSolve(String name) {
    return !Hostnames.isWildcard(name);
  }

  @Override
  public Published publish(String name, Challenge challenge) throws IssuanceException {
    Http01Challenge http = (Http01Challenge) challenge;
    try {
      return responder.publish(http.getToken(), http.getAuthorization());
    } catch (IOException e) {
      throw new IssuanceException(
          name + ": cannot publish the http-01 answer in " + responder.describe() + ": " + e.getMessage()
              + " — fix: make it writable by this user");
    }
  }

  @Override
  public void awaitVisible() throws InterruptedException {
    responder.awaitVisible();
  }

  @Override
  public String toString() {
    return "http-01 via " + responder.describe();
  }
}
