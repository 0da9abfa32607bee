package dev.gatehouse.cli;

import dev.gatehouse.proxy.HstsRampState;
import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StorageKeys;
import java.io.IOException;
import java.util.Optional;

/**
 * The HSTS ramp's state under {@link StorageKeys#HSTS_STATE} in the storage serve uses: {@code
 * STATE_DIR/state/hsts.json}, or the PostgreSQL store, where every server of the site reads and writes the
 * same stage. The storage makes the write atomic (temp file, fsync, rename; one row).
 */
final class StoredHstsRampState implements HstsRampState {

  private final Storage storage;

  StoredHstsRampState(Storage storage) {
    this.storage = storage;
  }

  @Override
  public Optional<byte[]> load() throws IOException {
    return storage.load(StorageKeys.HSTS_STATE);
  }

  @Override
  public void save(byte[] state) throws IOException {
    storage.store(StorageKeys.HSTS_STATE, state, false);
  }
}
