package dev.gatehouse.cli;

import static dev.gatehouse.cli.GenerateSiteOptions.check;

import dev.gatehouse.config.Hostnames;
import dev.gatehouse.config.HstsPolicy;
import dev.gatehouse.config.Ports;
import dev.gatehouse.generate.Site;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** What every public-facing {@code generate} target needs: the names, the HTTPS port, and HSTS. */
final class GenerateNameOptions {

  @Parameters(paramLabel = "DOMAIN", arity = "0..*", description = "The site's names; the first names the certificate.")
  List<String> domains = new ArrayList<>();

  @Option(names = "--https-port", paramLabel = "N", description = "HTTPS port (default: ${DEFAULT-VALUE}).")
  String httpsPort = Integer.toString(Site.DEFAULT_HTTPS_PORT);

  @Option(names = "--hsts", paramLabel = "off|ramp|SECONDS", description = "Strict-Transport-Security (default: ${DEFAULT-VALUE}).")
  String hsts = "ramp";

  @Option(names = "--hsts-include-subdomains", description = "Add includeSubDomains to HSTS.")
  boolean hstsIncludeSubdomains;

  @Option(names = "--hsts-preload", description = "Add preload to HSTS (needs a max-age of a year).")
  boolean hstsPreload;

  /** The names, normalized, without duplicates; at least one. */
  List<String> names(CommandSpec spec) {
    if (domains.isEmpty()) {
      throw new ParameterException(spec.commandLine(), "DOMAIN: at least one name is needed, e.g. example.com");
    }
    List<String> names = new ArrayList<>();
    for (String d : domains) {
      String n = check(spec, () -> Hostnames.normalize("DOMAIN", d));
      if (!names.contains(n)) {
        names.add(n);
      }
    }
    return names;
  }

  HstsPolicy hsts(CommandSpec spec) {
    return check(spec, () -> HstsPolicy.parse("--hsts", hsts, hstsIncludeSubdomains, hstsPreload));
  }

  int httpsPort(CommandSpec spec) {
    return check(spec, () -> Ports.parse("--https-port", httpsPort, false));
  }
}
