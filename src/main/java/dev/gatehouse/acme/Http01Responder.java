package dev.gatehouse.acme;

import dev.gatehouse.certs.ChallengeAnswers;
import dev.gatehouse.certs.ChallengeResponses;
import java.io.IOException;

/**
 * Where http-01 answers go (RFC 8555 §8.3): into {@link ChallengeResponses}, which Gatehouse's own port 80
 * (or {@link StandaloneHttp01Server}) serves, or as files under a web server's root ({@link
 * WebrootHttp01Responder}). Implementations are safe for concurrent use.
 */
public interface Http01Responder {

  /**
   * Makes {@code GET /.well-known/acme-challenge/TOKEN} answer {@code keyAuthorization}.
   *
   * @return what removes the answer again
   */
  ChallengeSolver.Published publish(String token, String keyAuthorization) throws IOException;

  /** A short description for messages: {@code port 80}, {@code webroot /var/www/html}. */
  String describe();

  /** See {@link ChallengeSolver#awaitVisible()}. */
  default void awaitVisible() throws InterruptedException {}

  /**
   * Answers through {@code responses}: the {@link ChallengeResponses} the HTTP listener of this process serves,
   * or the {@link dev.gatehouse.certs.SharedChallenges} every node of a cluster serves.
   */
  static Http01Responder inProcess(ChallengeAnswers responses, String description) {
    return new Http01Responder() {
      @Override
      public ChallengeSolver.Published publish(String token, String keyAuthorization) throws IOException {
        responses.putHttp01(token, keyAuthorization);
        return () -> responses.removeHttp01(token);
      }

      @Override
      public String describe() {
        return description;
      }

      @Override
      public void awaitVisible() throws InterruptedException {
        responses.awaitVisible();
      }
    };
  }
}
