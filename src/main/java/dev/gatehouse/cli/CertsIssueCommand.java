package dev.gatehouse.cli;

import dev.gatehouse.certs.CertificateFileException;
import dev.gatehouse.certs.CertificateStore;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.RenewalPolicy;
import dev.gatehouse.certs.RenewalSchedule;
import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.Hostnames;
import dev.gatehouse.localca.LocalCaIssuer;
import dev.gatehouse.store.FileStorage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse certs issue}: certbot's {@code certonly}, for nginx users and anyone else. */
@Command(
    name = "issue",
    mixinStandardHelpOptions = true,
    description = {
      "Obtain one certificate for every DOMAIN (the first names it) into STATE/live/DOMAIN/"
          + "{fullchain,privkey,cert,chain}.pem, the files nginx's ssl_certificate and ssl_certificate_key"
          + " point at. A valid stored certificate for the same names is kept unless --force.",
      "Answer the CA with --webroot DIR (files the running web server serves), --standalone (our own"
          + " listener on --http-port) or --dns-hook CMD (needed for wildcards)."
    })
final class CertsIssueCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "DOMAIN", arity = "1..*", description = "Names for the certificate; the first is its name.")
  List<String> domains = new ArrayList<>();

  @Mixin CertsChallengeOptions challenge = new CertsChallengeOptions();

  @Mixin AcmeOptions acme = new AcmeOptions();

  @Mixin CertsStateDir state = new CertsStateDir();

  @Option(names = "--force", description = "Obtain a new certificate even if the stored one is valid.")
  boolean force;

  @Option(names = "--dry-run", description = "Validate against the CA (Let's Encrypt: its staging CA) without storing anything.")
  boolean dryRun;

  @Option(names = "--deploy-hook", paramLabel = "CMD", description = "Run after the certificate is stored, now and on every renewal (e.g. 'nginx -s reload').")
  String deployHook;

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    CertsConsole console = new CertsConsole(cl);
    List<String> names = normalized(cl);
    challenge.validate(cl);
    CertsRenewalConfig config = config(cl, names);
    FileStorage storage = state.open(cl);
    if (!force && !dryRun && keepsStored(storage, config, console)) {
      return 0;
    }
    try {
      return new CertsIssuance(cl, storage, console).obtain(config, Optional.ofNullable(acme.eabHmac), dryRun) ? 0 : 1;
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
  }

  private List<String> normalized(CommandLine cl) {
    List<String> names = new ArrayList<>();
    for (String domain : domains) {
      try {
        String name = Hostnames.normalize("DOMAIN", domain);
        if (!names.contains(name)) {
          names.add(name);
        }
      } catch (ConfigException e) {
        throw new CommandLine.ParameterException(cl, e.getMessage());
      }
    }
    return names;
  }

  private CertsRenewalConfig config(CommandLine cl, List<String> names) {
    try {
      AcmeSettings settings = acme.applyTo(AcmeSettings.DEFAULT);
      boolean internal = acme.caFlag().map(c -> c.trim().equalsIgnoreCase(CertsRenewalConfig.INTERNAL)).orElse(false);
      if (!internal) {
        if (!challenge.given() && settings.dnsHook().isEmpty()) {
          throw new CommandLine.ParameterException(cl, "no way to answer the CA's challenge (expected: --webroot DIR,"
              + " --standalone or --dns-hook CMD)");
        }
        Optional<String> wildcard = names.stream().filter(Hostnames::isWildcard).findFirst();
        if (wildcard.isPresent() && settings.dnsHook().isEmpty()) {
          throw new CommandLine.ParameterException(cl, "DOMAIN: '" + wildcard.get() + "' is a wildcard, which only"
              + " dns-01 can prove (expected: --dns-hook CMD)");
        }
      }
      String ca = internal ? CertsRenewalConfig.INTERNAL : settings.directory().toString();
      return CertsRenewalConfig.of(names, ca, settings, challenge.webroot(), challenge.standalone(),
          Optional.ofNullable(deployHook));
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
  }

  /**
   * Keeps a stored certificate that covers the names, came from the same CA and is not due (certbot's "not
   * yet due for renewal"); the new configuration is stored for {@code certs renew} all the same.
   */
  private boolean keepsStored(FileStorage storage, CertsRenewalConfig config, CertsConsole console) {
    String name = config.primaryName();
    CertificateStore store = new CertificateStore(storage);
    try {
      Optional<CertifiedKey> stored = store.load(name);
      if (stored.isEmpty() || !stored.get().covers(config.names())) {
        return false;
      }
      String wantedIssuer = config.internal()
          ? new LocalCaIssuer(storage).name()
          : AcmeSettings.describe(config.acmeSettings(Optional.empty()).directory());
      if (!store.issuerOf(name, stored.get()).map(wantedIssuer::equals).orElse(false)) {
        return false;
      }
      RenewalPolicy policy = new RenewalPolicy();
      RenewalSchedule schedule = policy.schedule(stored.get(), Optional.empty(), Optional.empty());
      if (policy.isDue(schedule)) {
        return false;
      }
      config.store(storage);
      console.result(name + ": the stored certificate (serial " + stored.get().serialHex() + ", valid until "
          + stored.get().notAfter() + ") covers these names and renews at " + schedule.renewAt() + " ("
          + schedule.reason() + "); nothing to do (--force replaces it)");
      return true;
    } catch (IOException | CertificateFileException e) {
      console.result(name + ": the stored certificate cannot be used (" + e.getMessage() + "); obtaining a new one");
      return false;
    }
  }
}
