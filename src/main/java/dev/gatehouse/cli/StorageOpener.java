package dev.gatehouse.cli;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.StoreSettings;
import dev.gatehouse.store.FileStorage;
import dev.gatehouse.store.PostgresLocation;
import dev.gatehouse.store.PostgresPassword;
import dev.gatehouse.store.PostgresStorage;
import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StoreKeyException;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Opens the storage that {@code --store} (or the state dir alone) names, turning every way that can fail into
 * one line that names the flag to fix: a bad URL or login under {@code --store}, a missing or wrong key under
 * {@code --store-key-file}.
 */
final class StorageOpener {
  private StorageOpener() {}

  /** The shared store of {@code settings}, or the file store in {@code stateDir} when there is none. */
  static Storage open(StoreSettings settings, Path stateDir) throws ConfigException {
    if (settings.url().isEmpty()) {
      return stateDir(stateDir);
    }
    PostgresLocation location;
    try {
      location = PostgresLocation.parse(settings.url().get());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("--store: " + e.getMessage());
    }
    try {
      return PostgresStorage.open(location, PostgresPassword.find(location, settings.passwordFile(), System.getenv()),
          settings.keyFileIn(stateDir), stateDir);
    } catch (StoreKeyException e) {
      throw new ConfigException("--store-key-file: " + e.getMessage());
    } catch (IOException e) {
      throw new ConfigException("--store: " + e.getMessage());
    }
  }

  /** The file store in {@code stateDir}. */
  static FileStorage stateDir(Path stateDir) throws ConfigException {
    try {
      return new FileStorage(stateDir);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("--state-dir: cannot use " + stateDir + " (" + e.getMessage()
          + "; expected: a directory this user may create and write)");
    }
  }

  /** Closes a storage that holds connections; the file store holds none. */
  static void close(Storage storage) {
    if (storage instanceof PostgresStorage shared) {
      shared.close();
    }
  }
}
