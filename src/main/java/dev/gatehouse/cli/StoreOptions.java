package dev.gatehouse.cli;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.StoreSettings;
import dev.gatehouse.store.Storage;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --store}, {@code --store-key-file}, {@code --password-file} of the commands that read a shared store. */
final class StoreOptions {

  @Option(
      names = "--store",
      paramLabel = "URL",
      description = "The PostgreSQL store the site's servers share: postgresql://USER@HOST[:PORT]/DB[?sslmode=MODE]"
          + " (password from PGPASSWORD, ~/.pgpass or --password-file). Without it: --state-dir.")
  String store;

  @Option(
      names = "--store-key-file",
      paramLabel = "FILE",
      description = "The key that encrypts private keys in --store, as on the servers (default STATE_DIR/store.key).")
  Path keyFile;

  @Option(names = "--password-file", paramLabel = "FILE", description = "A file holding the --store password.")
  Path passwordFile;

  StoreSettings settings() throws ConfigException {
    return new StoreSettings(
        store == null ? Optional.empty() : Optional.of(StoreSettings.checkUrl("--store", store)),
        Optional.ofNullable(keyFile).map(p -> p.toAbsolutePath().normalize()),
        Optional.ofNullable(passwordFile).map(p -> p.toAbsolutePath().normalize()));
  }

  /** The store these flags name, else the file store in {@code stateDir}; a bad flag is a usage error. */
  Storage open(CommandLine cl, Path stateDir) {
    try {
      return StorageOpener.open(settings(), stateDir);
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
  }
}
