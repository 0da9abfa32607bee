package dev.gatehouse.proxy;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Where {@link HstsRamp} keeps its state, a small JSON object, so that a restart keeps the stage and every
 * server of a site that shares one store sends the same one. The command line implements it over the storage
 * in use (the state directory or PostgreSQL); the proxy itself never depends on the store (DESIGN.md).
 *
 * <p>Both methods may block (disk, database) and are only called off the event loops: once at start and then
 * from the server's maintenance thread. Implementations must be safe for use by several threads.
 */
public interface HstsRampState {

  /** The state last saved, here or by another server of the site; empty when none was ever saved. */
  Optional<byte[]> load() throws IOException;

  /** Replaces the state atomically: a reader sees the old bytes or the new ones, never half of them. */
  void save(byte[] state) throws IOException;

  /** A state kept in this process only: the ramp starts over on every start. */
  static HstsRampState inMemory() {
    AtomicReference<Optional<byte[]>> saved = new AtomicReference<>(Optional.empty());
    return new HstsRampState() {
      @Override
      public Optional<byte[]> load() {
        return saved.get().map(byte[]::clone);
      }

      @Override
      public void save(byte[] state) {
        saved.set(Optional.of(state.clone()));
      }
    };
  }
}
