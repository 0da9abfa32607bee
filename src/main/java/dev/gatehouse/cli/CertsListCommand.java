package dev.gatehouse.cli;

import dev.gatehouse.certs.CertificateFileException;
import dev.gatehouse.certs.CertificateStore;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.store.FileStorage;
import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StorageKeys;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code gatehouse certs list}: certbot's {@code certificates}. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "Each stored certificate: its names, issuer, expiry, days left, when and why it renews next"
        + " (the CA's ARI window or the lifetime rule), and its files.")
final class CertsListCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin CertsStateDir state = new CertsStateDir();

  @Mixin StoreOptions shared = new StoreOptions();

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    CertsConsole console = new CertsConsole(cl);
    Storage storage = shared.open(cl, state.stateDir);
    try {
      return list(console, storage);
    } finally {
      StorageOpener.close(storage);
    }
  }

  private static int list(CertsConsole console, Storage storage) {
    CertificateStore store = new CertificateStore(storage);
    int shown = 0;
    boolean ok = true;
    try {
      for (String dir : storage.list(StorageKeys.LIVE)) {
        String name = dir.substring(StorageKeys.LIVE.length()).replaceAll("/$", "").replaceFirst("^wildcard_\\.", "*.");
        shown++;
        ok &= show(console, storage, store, name);
      }
    } catch (IOException e) {
      console.error(where(storage) + ": cannot list certificates: " + e.getMessage());
      return 1;
    }
    if (shown == 0) {
      console.result("no certificates in " + where(storage));
    }
    return ok ? 0 : 1;
  }

  /** Where the certificates are, for messages: the live/ directory or the database. */
  static String where(Storage storage) {
    return storage instanceof FileStorage files ? files.root().resolve("live").toString() : storage.toString();
  }

  private static boolean show(CertsConsole console, Storage storage, CertificateStore store, String name) {
    Optional<CertifiedKey> loaded;
    Optional<CertsRenewalConfig> config;
    Optional<String> issuer;
    try {
      loaded = store.load(name);
      config = CertsRenewalConfig.load(storage, name);
      issuer = loaded.isPresent() ? store.issuerOf(name, loaded.get()) : Optional.empty();
    } catch (IOException | CertificateFileException | ConfigException e) {
      console.result(name);
      console.result("  unusable:  " + e.getMessage() + " (certs renew " + name + " replaces it)");
      return false;
    }
    if (loaded.isEmpty()) {
      return true;
    }
    CertifiedKey key = loaded.get();
    CertsRenewalCheck.Result check = CertsRenewalCheck.check(storage, config, key);
    long daysLeft = Duration.between(Instant.now(), key.notAfter()).toDays();
    console.result(name);
    console.result("  names:     " + String.join(", ", key.names()));
    console.result("  issuer:    " + issuer.orElse("unknown") + " (" + key.leaf().getIssuerX500Principal().getName()
        + ")");
    console.result("  expires:   " + key.notAfter() + " (" + (daysLeft < 0 ? "EXPIRED" : daysLeft + " days left")
        + ")");
    console.result("  renews:    " + check.schedule().renewAt().truncatedTo(ChronoUnit.SECONDS) + " (" + check.schedule().reason() + ")"
        + check.ariProblem().map(p -> "; ARI unavailable: " + p).orElse("")
        + (config.isPresent() ? ", by certs renew" : ", by gatehouse serve"));
    if (storage instanceof FileStorage files) {
      console.result("  files:     " + files.pathOf(StorageKeys.fullchain(name)).getParent()
          + "/{fullchain,privkey,cert,chain}.pem");
    } else {
      console.result("  stored in: " + storage + " under " + StorageKeys.liveDir(name));
    }
    return true;
  }
}
