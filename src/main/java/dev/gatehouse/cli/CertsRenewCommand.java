package dev.gatehouse.cli;

import dev.gatehouse.certs.CertificateFileException;
import dev.gatehouse.certs.CertificateStore;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.Hostnames;
import dev.gatehouse.store.FileStorage;
import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StorageKeys;
import java.io.IOException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse certs renew}: certbot's {@code renew}, for cron jobs and by hand. */
@Command(
    name = "renew",
    mixinStandardHelpOptions = true,
    description = {
      "Renew every stored certificate that is due (the CA's ARI window, else a third of its lifetime left),"
          + " or only the NAMEs given, with the settings certs issue stored; flags override them.",
      "A certificate that a running serve obtained is renewed by serve itself: --force asks it to, now, and"
          + " waits. After each certificate this command stores, a running serve on the same --state-dir is"
          + " sent SIGHUP and serves it."
    })
final class CertsRenewCommand implements Callable<Integer> {

  /** How long to wait for a running serve to renew a certificate it manages. */
  static final Duration SERVE_RENEWAL_TIMEOUT = Duration.ofMinutes(5);

  private static final long SERVE_POLL_MILLIS = 250;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "NAME", arity = "0..*", description = "Certificates to renew (default: all).")
  List<String> names = new ArrayList<>();

  @Mixin CertsChallengeOptions challenge = new CertsChallengeOptions();

  @Mixin AcmeOptions acme = new AcmeOptions();

  @Mixin CertsStateDir state = new CertsStateDir();

  @Mixin StoreOptions shared = new StoreOptions();

  @Option(names = "--force", description = "Renew even if not due.")
  boolean force;

  @Option(names = "--dry-run", description = "Validate against the CA (Let's Encrypt: its staging CA); replace nothing, run no hook.")
  boolean dryRun;

  @Option(names = "--deploy-hook", paramLabel = "CMD", description = "Run after each renewal (e.g. 'nginx -s reload'), instead of the stored one.")
  String deployHook;

  private CommandLine cl;
  private FileStorage storage;
  private CertsConsole console;

  @Override
  public Integer call() {
    cl = spec.commandLine();
    console = new CertsConsole(cl);
    if (shared.store != null) {
      return renewInStore();
    }
    challenge.validate(cl);
    storage = state.open(cl);
    List<String> selected = selected();
    if (selected.isEmpty()) {
      console.result("no certificates in " + storage.root().resolve("live"));
      return 0;
    }
    boolean ok = true;
    for (String name : selected) {
      ok &= renew(name);
    }
    return ok ? 0 : 1;
  }

  /** {@code --store}: the site's servers renew; {@code --force} asks them and waits ({@link CertsStoreRenewal}). */
  private int renewInStore() {
    Storage store = shared.open(cl, state.stateDir);
    try {
      CertsStoreRenewal renewal = new CertsStoreRenewal(console, store);
      List<String> selected = new ArrayList<>();
      for (String name : names.isEmpty() ? renewal.names() : names) {
        selected.add(Hostnames.normalize("NAME", name));
      }
      if (selected.isEmpty()) {
        console.result("no certificates in " + store);
        return 0;
      }
      boolean ok = true;
      for (String name : selected) {
        ok &= renewal.renew(name, force, SERVE_RENEWAL_TIMEOUT);
      }
      return ok ? 0 : 1;
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    } catch (IOException e) {
      console.error("cannot list the certificates in " + store + ": " + e.getMessage());
      return 1;
    } finally {
      StorageOpener.close(store);
    }
  }

  private List<String> selected() {
    List<String> selected = new ArrayList<>();
    try {
      if (names.isEmpty()) {
        for (String dir : storage.list(StorageKeys.LIVE)) {
          selected.add(dir.substring(StorageKeys.LIVE.length()).replaceAll("/$", "")
              .replaceFirst("^wildcard_\\.", "*."));
        }
        return selected;
      }
      for (String name : names) {
        String normalized = Hostnames.normalize("NAME", name);
        if (storage.list(StorageKeys.liveDir(normalized)).isEmpty()) {
          throw new CommandLine.ParameterException(cl, "NAME: '" + name + "' has no certificate in "
              + storage.root().resolve("live") + " (expected: a name certs list shows)");
        }
        selected.add(normalized);
      }
      return selected;
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    } catch (IOException e) {
      throw new CommandLine.ParameterException(cl, "--state-dir: cannot list " + storage.root() + ": " + e.getMessage());
    }
  }

  private boolean renew(String name) {
    CertificateStore store = new CertificateStore(storage);
    Optional<CertsRenewalConfig> stored;
    Optional<ProcessHandle> serve;
    try {
      stored = CertsRenewalConfig.load(storage, name);
      serve = CertsServeLink.runningServe(storage);
    } catch (ConfigException | IOException e) {
      console.error(name + ": " + e.getMessage());
      return false;
    }
    Optional<CertifiedKey> current;
    try {
      current = store.load(name);
    } catch (IOException | CertificateFileException e) {
      console.result(name + ": the stored certificate cannot be used (" + e.getMessage() + "); renewing it");
      current = Optional.empty();
    }
    if (stored.isEmpty()) {
      return renewedByServe(name, current, serve);
    }
    CertsRenewalConfig config;
    try {
      config = withFlags(stored.get());
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    if (!force && !dryRun && current.isPresent() && current.get().covers(config.names())) {
      CertsRenewalCheck.Result check = CertsRenewalCheck.check(storage, Optional.of(config), current.get());
      check.ariProblem().ifPresent(p -> console.progress().step(p + "; using the lifetime rule"));
      if (!CertsRenewalCheck.isDue(check.schedule())) {
        console.result(name + ": not due; renews at " + check.schedule().renewAt().truncatedTo(ChronoUnit.SECONDS) + " (" + check.schedule().reason()
            + ")");
        return true;
      }
    }
    try {
      return new CertsIssuance(cl, storage, console).obtain(config, Optional.ofNullable(acme.eabHmac), dryRun);
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
  }

  /** The stored configuration with this run's flags laid over it. */
  private CertsRenewalConfig withFlags(CertsRenewalConfig stored) throws ConfigException {
    if (stored.internal() && acme.caFlag().isEmpty()) {
      return new CertsRenewalConfig(stored.names(), stored.ca(), stored.trust(), stored.email(), stored.eabKeyId(),
          stored.profile(), stored.keyType(), stored.dnsHook(), stored.webroot(), stored.standalone(),
          Optional.ofNullable(deployHook).or(stored::deployHook));
    }
    AcmeSettings base = stored.internal() ? AcmeSettings.DEFAULT : stored.acmeSettings(Optional.empty());
    AcmeSettings settings = acme.applyTo(base);
    boolean internal = acme.caFlag().map(c -> c.trim().equalsIgnoreCase(CertsRenewalConfig.INTERNAL))
        .orElse(stored.internal());
    return CertsRenewalConfig.of(stored.names(),
        internal ? CertsRenewalConfig.INTERNAL : settings.directory().toString(),
        settings,
        challenge.given() ? challenge.webroot() : stored.webroot(),
        challenge.given() ? challenge.standalone() : stored.standalone(),
        Optional.ofNullable(deployHook).or(stored::deployHook));
  }

  /**
   * A certificate {@code serve} obtained: serve renews it, since it holds the ports the challenges need.
   * {@code --force} asks a running serve to renew it now and waits for the new serial.
   */
  private boolean renewedByServe(String name, Optional<CertifiedKey> current, Optional<ProcessHandle> serve) {
    if (serve.isEmpty()) {
      console.error(name + ": obtained by gatehouse serve, which is not running on " + storage.root()
          + " — likely fix: start serve (it renews its certificates itself), or obtain it with gatehouse certs issue");
      return false;
    }
    long pid = serve.get().pid();
    if (!force) {
      console.result(name + ": renewed by the running serve (pid " + pid + ") when due");
      return true;
    }
    if (dryRun) {
      console.error(name + ": --dry-run cannot validate while serve (pid " + pid + ") holds the ports its"
          + " challenges need");
      return false;
    }
    String before = current.map(CertifiedKey::serialHex).orElse("");
    try {
      CertsServeLink.requestRenewal(storage, name, current.map(CertifiedKey::serialHex));
      CertsServeLink.signalReload(serve.get());
    } catch (IOException e) {
      console.error(name + ": cannot ask serve (pid " + pid + ") to renew: " + e.getMessage());
      return false;
    }
    console.progress().step(name + ": asked serve (pid " + pid + ") to renew it; waiting for the new certificate");
    Optional<String> serial =
        CertsStoreRenewal.awaitNewSerial(storage, name, before, SERVE_RENEWAL_TIMEOUT, serve.get()::isAlive);
    if (serial.isEmpty()) {
      console.error(name + ": serve (pid " + pid + ") stored no new certificate within "
          + SERVE_RENEWAL_TIMEOUT.toMinutes() + " min — likely fix: its log has the failure line");
      return false;
    }
    console.result(name + ": renewed by the running serve (pid " + pid + "), serial " + serial.get());
    List<String> certified = current.map(CertifiedKey::names).orElse(List.of(name));
    return new CertsIssuance(cl, storage, console).deploy(Optional.ofNullable(deployHook), name, certified);
  }
}
