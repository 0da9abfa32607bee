package dev.gatehouse.nginx;

import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.IssuanceException;
import java.nio.file.Path;
import java.util.List;

/**
 * Gets a certificate by ACME http-01 through nginx: the CA fetches {@code
 * http://NAME/.well-known/acme-challenge/TOKEN}, which nginx serves from the webroot. {@code nginx setup}
 * calls this once nginx serves the webroot for every name; the implementation (the ACME issuer, wired in
 * the command line) writes the token files there and stores the result.
 *
 * <p>Calls block for as long as the CA takes to validate. The contract: when {@link #obtain} returns, {@code
 * liveDirectory()/NAMES[0]/fullchain.pem} and {@code privkey.pem} (certbot's layout; the key readable only by
 * its owner) hold the returned certificate, and every name is in its subjectAltName.
 */
public interface CertificateObtainer {

  /** The {@code live/} directory certificates are stored under, one {@code NAME/} directory each. */
  Path liveDirectory();

  /**
   * Obtains a certificate for {@code names} (the first names it) with http-01 answered from {@code webroot}.
   *
   * @throws IssuanceException with a one-line reason when the CA refused or could not validate
   */
  CertifiedKey obtain(List<String> names, Path webroot) throws IssuanceException;

  /** For the step line: the CA, e.g. {@code letsencrypt} or a directory URL. */
  String describe();
}
