package dev.gatehouse.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where certificates, keys and state are shared when several servers run one site ({@code --store}, TOML
 * {@code store}); without a URL, the state dir alone holds them. The database password never appears here as
 * a value: it comes from {@code PGPASSWORD}, {@code ~/.pgpass} or {@code passwordFile}.
 *
 * @param url {@code postgresql://USER@HOST[:PORT]/DB[?sslmode=MODE]}, checked in full when the store opens
 * @param keyFile {@code --store-key-file}: the key that seals private keys in the database; default {@code
 *     STATE_DIR/store.key}
 * @param passwordFile TOML {@code password_file}: a file holding the database password
 */
public record StoreSettings(Optional<String> url, Optional<Path> keyFile, Optional<Path> passwordFile) {

  /** The file store in the state dir: no database. */
  public static final StoreSettings STATE_DIR = new StoreSettings(Optional.empty(), Optional.empty(),
      Optional.empty());

  /** The default store key file: next to the rest of this node's state. */
  public static final String DEFAULT_KEY_FILE = "store.key";

  /**
   * A {@code --store} value: only PostgreSQL URLs, since the state dir is the file store.
   *
   * @throws ConfigException naming {@code where}, for any other scheme
   */
  public static String checkUrl(String where, String url) throws ConfigException {
    if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
      throw new ConfigException(where + ": '" + url + "' is not a store URL (expected:"
          + " postgresql://USER@HOST[:PORT]/DB[?sslmode=MODE]; the file store is --state-dir)");
    }
    return url;
  }

  /** The key file these settings use with {@code stateDir}. */
  public Path keyFileIn(Path stateDir) {
    return keyFile.orElse(stateDir.resolve(DEFAULT_KEY_FILE));
  }
}
