package dev.gatehouse.acme;

import java.net.URI;
import java.net.URL;
import java.security.KeyPair;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.DefaultConnection;
import org.shredzone.acme4j.connector.HttpConnector;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.toolbox.JSONBuilder;

/**
 * A connection that keeps retrying a signed request the CA rejected with {@code badNonce}. RFC 8555 §6.5
 * makes that error retryable with the fresh nonce the rejection carries; acme4j retries ten times, which a
 * CA rejecting half of all nonces (Pebble's {@code PEBBLE_WFE_NONCEREJECT=50}) defeats once in a thousand
 * requests, i.e. in a few percent of issuances.
 */
final class NonceRetryingConnection extends DefaultConnection {

  private static final URI BAD_NONCE = URI.create("urn:ietf:params:acme:error:badNonce");

  /** Rounds of acme4j's own ten attempts: 1 - 0.5^50 is as sure as a network request gets. */
  static final int ROUNDS = 5;

  NonceRetryingConnection(HttpConnector connector) {
    super(connector);
  }

  @Override
  protected int sendSignedRequest(
      URL url, JSONBuilder claims, Session session, KeyPair keypair, URL accountLocation, String accept)
      throws AcmeException {
    for (int round = 1; ; round++) {
      try {
        return super.sendSignedRequest(url, claims, session, keypair, accountLocation, accept);
      } catch (AcmeServerException e) {
        if (!BAD_NONCE.equals(e.getType()) || round == ROUNDS) {
          throw e;
        }
        close();
      }
    }
  }
}
