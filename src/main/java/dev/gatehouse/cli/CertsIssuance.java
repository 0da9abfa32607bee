package dev.gatehouse.cli;

import dev.gatehouse.acme.HookCommand;
import dev.gatehouse.certs.CertificateFileException;
import dev.gatehouse.certs.CertificateStore;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.IssuanceException;
import dev.gatehouse.certs.IssueRequest;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.store.FileStorage;
import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StorageKeys;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/**
 * Obtaining one certificate for {@code certs issue} and {@code certs renew}: order it under the storage
 * lock of its name (so a running serve never orders the same one at once), store it in the live/ layout
 * with its renewal configuration, run the deploy hook, and tell a running serve to pick it up.
 */
final class CertsIssuance {

  /** How long a deploy hook (a web server reload) may take. */
  static final Duration DEPLOY_HOOK_TIMEOUT = Duration.ofMinutes(5);

  private final CommandLine cl;
  private final FileStorage storage;
  private final CertsConsole console;

  CertsIssuance(CommandLine cl, FileStorage storage, CertsConsole console) {
    this.cl = cl;
    this.storage = storage;
    this.console = console;
  }

  /**
   * @return true when the certificate was obtained (and, unless {@code dryRun}, stored and deployed)
   */
  @SuppressWarnings("try") // the lock is held, not used
  boolean obtain(CertsRenewalConfig config, Optional<String> eabHmac, boolean dryRun) throws ConfigException {
    String name = config.primaryName();
    CertificateStore store = new CertificateStore(storage);
    CertifiedKey issued;
    String issuerName;
    try (Storage.Lock lock = storage.lock(StorageKeys.certificateLock(name));
        CertsIssuerSession session =
            CertsIssuerSession.open(cl, storage, config, eabHmac, dryRun, console.progress())) {
      issued = session.issuer().issue(new IssueRequest(config.names(), config.keyType(), current(store, name)));
      issuerName = session.issuer().name();
      if (dryRun) {
        console.result(name + ": dry run: " + issuerName + " issued a certificate (serial " + issued.serialHex()
            + "); the live files are unchanged");
        return true;
      }
      store.save(name, issued, issuerName);
      config.store(storage);
    } catch (IssuanceException e) {
      console.error(e.getMessage());
      return false;
    } catch (IOException e) {
      console.error(name + ": cannot store the certificate in " + storage.root() + ": " + e.getMessage());
      return false;
    }
    console.result(name + ": issued by " + issuerName + ", serial " + issued.serialHex() + ", valid until "
        + issued.notAfter() + "; files in " + storage.pathOf(StorageKeys.fullchain(name)).getParent());
    boolean deployed = deploy(config.deployHook(), name, config.names());
    notifyServe();
    return deployed;
  }

  /** The stored certificate, for ARI's {@code replaces}; a damaged one is simply not replaced. */
  private static Optional<CertifiedKey> current(CertificateStore store, String name) {
    try {
      return store.load(name);
    } catch (IOException | CertificateFileException e) {
      return Optional.empty();
    }
  }

  /**
   * Runs the deploy hook with certbot's variables: {@code RENEWED_LINEAGE} (the live directory) and {@code
   * RENEWED_DOMAINS} (the names, space-separated).
   */
  boolean deploy(Optional<String> hook, String name, List<String> names) {
    if (hook.isEmpty()) {
      return true;
    }
    try {
      new HookCommand("--deploy-hook", hook.get(), DEPLOY_HOOK_TIMEOUT).run(List.of(), Map.of(
          "RENEWED_LINEAGE", storage.pathOf(StorageKeys.fullchain(name)).getParent().toString(),
          "RENEWED_DOMAINS", String.join(" ", names)));
      return true;
    } catch (IOException e) {
      console.error(name + ": the certificate is stored, but " + e.getMessage());
      return false;
    }
  }

  /** A serve on the same state directory serves the new files after SIGHUP. */
  void notifyServe() {
    try {
      Optional<ProcessHandle> serve = CertsServeLink.runningServe(storage);
      if (serve.isPresent()) {
        CertsServeLink.signalReload(serve.get());
        console.result("told the running serve (pid " + serve.get().pid() + ") to load it");
      }
    } catch (IOException e) {
      console.error("cannot tell the running serve to load the new certificate (" + e.getMessage()
          + "); it picks it up at its next periodic check");
    }
  }
}
