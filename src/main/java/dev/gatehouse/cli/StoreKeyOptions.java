package dev.gatehouse.cli;

import dev.gatehouse.config.StoreSettings;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --store-key-file} and {@code --password-file}: what a command needs besides the URL to open a store. */
final class StoreKeyOptions {

  @Option(
      names = "--store-key-file",
      paramLabel = "FILE",
      description = "The key that encrypts private keys in the store, the same file as on the servers (default"
          + " STATE_DIR/store.key; created when the store is new).")
  Path keyFile;

  @Option(names = "--password-file", paramLabel = "FILE", description = "A file holding the store's password.")
  Path passwordFile;

  /** The settings for the store at {@code url} (already checked to be a store URL). */
  StoreSettings settings(Optional<String> url) {
    return new StoreSettings(url,
        Optional.ofNullable(keyFile).map(p -> p.toAbsolutePath().normalize()),
        Optional.ofNullable(passwordFile).map(p -> p.toAbsolutePath().normalize()));
  }
}
