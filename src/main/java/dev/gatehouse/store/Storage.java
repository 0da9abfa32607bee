package dev.gatehouse.store;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where keys, certificates, accounts and state live. Keys are relative slash-separated paths built in
 * {@link StorageKeys}. Implementations MUST be safe for concurrent use, MUST make {@link #store} atomic (a
 * reader, or a crash at any moment, sees the old bytes or the new bytes, never a mix or a truncation), and
 * MUST keep secrets readable by the owner alone. All calls may block on I/O: never call them on an event loop.
 * A storage that cannot reach its backend fails a call with {@link StorageUnavailableException} within a bounded
 * time instead of hanging.
 */
public interface Storage {

  /** How long {@link #lock(String)} waits: longer than any ACME order the holder may be waiting on. */
  Duration DEFAULT_LOCK_WAIT = Duration.ofMinutes(10);

  /** The bytes stored under {@code key}, or empty if there are none. */
  Optional<byte[]> load(String key) throws IOException;

  /**
   * Stores {@code data} under {@code key}, replacing what was there.
   *
   * @param secret whether only the owner may read it (private keys, account keys); a storage shared over a
   *     network keeps it encrypted at rest
   */
  void store(String key, byte[] data, boolean secret) throws IOException;

  /** Removes {@code key}; nothing happens if it does not exist. */
  void delete(String key) throws IOException;

  /** Keys directly under {@code prefix} (one level; directories end with {@code /}). */
  List<String> list(String prefix) throws IOException;

  /**
   * Takes a lock shared with every process on the same storage (another {@code gatehouse} on this machine, or
   * another node of a cluster on a shared database), waiting at most {@code maxWait}. A lock whose holder dies
   * is released without anyone closing it. Locks are not reentrant: a thread that takes the same lock twice
   * waits for itself.
   *
   * @throws LockTimeoutException when {@code maxWait} passes and the lock is still held by someone else
   */
  Lock lock(String name, Duration maxWait) throws IOException;

  /** {@link #lock(String, Duration)} with {@link #DEFAULT_LOCK_WAIT}. */
  default Lock lock(String name) throws IOException {
    return lock(name, DEFAULT_LOCK_WAIT);
  }

  /**
   * Calls {@code changedKey} with each key under {@code prefix} (at any depth) that this or another process
   * stored or deleted after this call, within a few seconds of the change. Calls come one at a time on a thread
   * the storage owns (never an event loop); a slow callback delays the next one. A change may be reported
   * more than once, and changes made while the backend is unreachable are reported once it is back; callers
   * re-read the key instead of trusting the order of calls.
   */
  Subscription watch(String prefix, Consumer<String> changedKey) throws IOException;

  /** A held lock; closing releases it. */
  interface Lock extends AutoCloseable {
    @Override
    void close() throws IOException;
  }

  /** A running {@link #watch}; closing stops the calls (one already running finishes). */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
