package dev.gatehouse.cli;

import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.nginx.CertificateObtainer;
import java.nio.file.Path;

/**
 * Makes the certificate source of {@code nginx setup} from its ACME flags: an ACME client answering http-01
 * from nginx's webroot and storing certificates under {@code STATE_DIR/live/}. A seam so the nginx procedure
 * does not depend on the ACME package, and so tests can put their own CA behind it.
 */
@FunctionalInterface
public interface WebrootObtainerFactory {

  /** @throws ConfigException when a flag cannot be used, e.g. an unreadable {@code --acme-trust} file */
  CertificateObtainer create(AcmeSettings acme, Path stateDir) throws ConfigException;
}
