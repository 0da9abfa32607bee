package dev.gatehouse.cli;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.StoreSettings;
import dev.gatehouse.store.Storage;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code --store} and its key and password options, for the commands that read a shared store. */
final class StoreOptions {

  @Option(
      names = "--store",
      paramLabel = "URL",
      description = "The PostgreSQL store the site's servers share: postgresql://USER@HOST[:PORT]/DB[?sslmode=MODE]"
          + " (password from PGPASSWORD, ~/.pgpass or --password-file). Without it: --state-dir.")
  String store;

  @Mixin StoreKeyOptions key = new StoreKeyOptions();

  /** The store these flags name, else the file store in {@code stateDir}; a bad flag is a usage error. */
  Storage open(CommandLine cl, Path stateDir) {
    try {
      Optional<String> url = store == null ? Optional.empty() : Optional.of(StoreSettings.checkUrl("--store", store));
      return StorageOpener.open(key.settings(url), stateDir);
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
  }
}
