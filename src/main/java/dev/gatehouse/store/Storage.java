package dev.gatehouse.store;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where keys, certificates, accounts and state live. Keys are relative slash-separated paths built in
 * {@link StorageKeys}. Implementations MUST be safe for concurrent use, MUST make {@link #store} atomic (a
 * reader, or a crash at any moment, sees the old bytes or the new bytes, never a mix or a truncation), and
 * MUST keep secrets readable by the owner alone. All calls may block on I/O: never call them on an event loop.
 */
public interface Storage {

  /** The bytes stored under {@code key}, or empty if there are none. */
  Optional<byte[]> load(String key) throws IOException;

  /**
   * Stores {@code data} under {@code key}, replacing what was there.
   *
   * @param secret whether only the owner may read it (private keys, account keys)
   */
  void store(String key, byte[] data, boolean secret) throws IOException;

  /** Removes {@code key}; nothing happens if it does not exist. */
  void delete(String key) throws IOException;

  /** Keys directly under {@code prefix} (one level; directories end with {@code /}). */
  List<String> list(String prefix) throws IOException;

  /**
   * Takes a lock shared with other processes on the same storage (a second {@code gatehouse} renewing the
   * same name). Blocks until it is free.
   */
  Lock lock(String name) throws IOException;

  /** A held lock; closing releases it. */
  interface Lock extends AutoCloseable {
    @Override
    void close() throws IOException;
  }
}
