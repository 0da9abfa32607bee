package dev.gatehouse.cli;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.nginx.CertificateObtainer;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Makes the certificate source of {@code nginx setup} from its ACME flags: normally {@link
 * AcmeWebrootObtainer}; tests put their own CA behind it. The seam also keeps the nginx procedure free of
 * the ACME package.
 */
@FunctionalInterface
interface WebrootObtainerFactory {

  /**
   * @param deployHook what renewals run afterwards: nginx's reload
   * @throws ConfigException when a flag cannot be used, e.g. an unreadable {@code --acme-trust} file
   */
  CertificateObtainer create(CommandLine cl, AcmeOptions acme, Path stateDir, String deployHook) throws ConfigException;
}
