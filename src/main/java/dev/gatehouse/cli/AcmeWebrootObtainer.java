package dev.gatehouse.cli;

import dev.gatehouse.acme.IssuanceProgress;
import dev.gatehouse.certs.CertificateFileException;
import dev.gatehouse.certs.CertificateStore;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.IssuanceException;
import dev.gatehouse.certs.IssueRequest;
import dev.gatehouse.certs.RenewalPolicy;
import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.localca.LocalCaIssuer;
import dev.gatehouse.nginx.CertificateObtainer;
import dev.gatehouse.store.FileStorage;
import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StorageKeys;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The certificates of {@code nginx setup}: what {@code certs issue --webroot} does, so that {@code certs
 * renew} later renews them the same way (same CA, same webroot, nginx's reload as deploy hook). A stored
 * certificate for the same names from the same CA that is not yet due is used again, so that a setup run
 * again after a failure does not spend the CA's duplicate-certificate limit.
 */
final class AcmeWebrootObtainer implements CertificateObtainer {

  private final CommandLine cl;
  private final FileStorage storage;
  private final AcmeSettings settings;
  private final boolean internal;
  private final String deployHook;

  private AcmeWebrootObtainer(CommandLine cl, FileStorage storage, AcmeSettings settings, boolean internal, String deployHook) {
    this.cl = cl;
    this.storage = storage;
    this.settings = settings;
    this.internal = internal;
    this.deployHook = deployHook;
  }

  /** The factory {@code gatehouse nginx setup} uses. */
  static CertificateObtainer create(CommandLine cl, AcmeOptions acme, Path stateDir, String deployHook)
      throws ConfigException {
    boolean internal = acme.caFlag().map(c -> c.trim().equalsIgnoreCase(CertsRenewalConfig.INTERNAL)).orElse(false);
    try {
      return new AcmeWebrootObtainer(cl, new FileStorage(stateDir), acme.applyTo(AcmeSettings.DEFAULT), internal, deployHook);
    } catch (IOException e) {
      throw new ConfigException("--state-dir: '" + stateDir + "' cannot be used (" + e.getMessage()
          + "; expected: a directory this user may create and write)");
    }
  }

  @Override
  public Path liveDirectory() {
    return storage.root().resolve("live");
  }

  @Override
  @SuppressWarnings("try") // the lock is held, not used
  public CertifiedKey obtain(List<String> names, Path webroot) throws IssuanceException {
    String name = names.get(0);
    CertsRenewalConfig config = CertsRenewalConfig.of(names, internal ? CertsRenewalConfig.INTERNAL
        : settings.directory().toString(), settings, Optional.of(webroot), Optional.empty(), Optional.of(deployHook));
    CertificateStore store = new CertificateStore(storage);
    try (Storage.Lock lock = storage.lock(StorageKeys.certificateLock(name));
        CertsIssuerSession session =
            CertsIssuerSession.open(cl, storage, config, settings.eabHmacKey(), false, IssuanceProgress.SILENT)) {
      Optional<CertifiedKey> stored = reusable(store, name, names, session.issuer().name());
      CertifiedKey key = stored.isPresent() ? stored.get()
          : session.issuer().issue(new IssueRequest(names, settings.keyType(), current(store, name)));
      if (stored.isEmpty()) {
        store.save(name, key, session.issuer().name());
      }
      config.store(storage);
      return key;
    } catch (ConfigException e) {
      throw new IssuanceException(e.getMessage());
    } catch (IOException e) {
      throw new IssuanceException(name + ": cannot store the certificate in " + storage.root() + ": " + e.getMessage());
    }
  }

  @Override
  public String describe() {
    return internal ? new LocalCaIssuer(storage).name() : AcmeSettings.describe(settings.directory());
  }

  private static Optional<CertifiedKey> reusable(CertificateStore store, String name, List<String> names, String issuer)
      throws IOException {
    Optional<CertifiedKey> stored = current(store, name);
    if (stored.isEmpty() || !stored.get().covers(names)
        || !store.issuerOf(name, stored.get()).map(issuer::equals).orElse(false)) {
      return Optional.empty();
    }
    RenewalPolicy policy = new RenewalPolicy();
    return policy.isDue(policy.schedule(stored.get(), Optional.empty(), Optional.empty())) ? Optional.empty() : stored;
  }

  /** The stored certificate, for reuse or ARI's {@code replaces}; a damaged one is simply not used. */
  private static Optional<CertifiedKey> current(CertificateStore store, String name) {
    try {
      return store.load(name);
    } catch (IOException | CertificateFileException e) {
      return Optional.empty();
    }
  }
}
