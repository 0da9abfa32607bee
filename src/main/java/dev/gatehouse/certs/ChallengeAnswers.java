package dev.gatehouse.certs;

import java.io.IOException;

/**
 * Where a process that orders a certificate puts the answers to its pending ACME challenges, for the
 * listeners to serve: {@link ChallengeResponses} when this process alone answers, {@link SharedChallenges}
 * when every node of a cluster may be the one the CA reaches. Implementations are safe for concurrent use;
 * the methods may block (storage I/O) and never run on an event loop.
 */
public interface ChallengeAnswers {

  /** Answers {@code GET /.well-known/acme-challenge/TOKEN} with {@code keyAuthorization} (RFC 8555 §8.3). */
  void putHttp01(String token, String keyAuthorization) throws IOException;

  /** Stops answering {@code token}. Never fails: validation is over, a leftover answer reveals nothing. */
  void removeHttp01(String token);

  /** Presents {@code challengeCertificate} to an {@code acme-tls/1}-only handshake for {@code name} (RFC 8737 §3). */
  void putTlsAlpn01(String name, CertifiedKey challengeCertificate) throws IOException;

  /** Stops presenting the challenge certificate for {@code name}. Never fails, as {@link #removeHttp01}. */
  void removeTlsAlpn01(String name);

  /**
   * Returns once every answer put so far is served wherever the CA may connect; call it before asking the CA
   * to validate. Here at once: the listeners read the same memory.
   */
  default void awaitVisible() throws InterruptedException {}
}
