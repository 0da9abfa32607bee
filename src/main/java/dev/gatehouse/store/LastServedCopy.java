package dev.gatehouse.store;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this node last read from or wrote to the shared store, kept on local disk so that a node restarted
 * while the database is down still serves its certificates. Every value is sealed with the {@link StoreKey}
 * (as secrets are in the database), so this directory is no easier to steal from than the database. Answers
 * to ACME challenges are not kept: they are useless minutes after they were written.
 */
final class LastServedCopy {

  private final FileStorage files;
  private final StoreKey key;
  /** SHA-256 of what each key holds on disk, so reading the same certificate again writes nothing. */
  private final Map<String, String> written = new ConcurrentHashMap<>();

  LastServedCopy(Path dir, StoreKey key) throws IOException {
    this.files = new FileStorage(dir);
    this.key = key;
  }

  Path dir() {
    return files.root();
  }

  void remember(String storageKey, byte[] data) throws IOException {
    if (storageKey.startsWith(StorageKeys.CHALLENGES)) {
      return;
    }
    String digest = digest(data);
    if (!digest.equals(written.get(storageKey))) {
      files.store(storageKey, key.seal(storageKey, data), true);
      written.put(storageKey, digest);
    }
  }

  void forget(String storageKey) throws IOException {
    written.remove(storageKey);
    files.delete(storageKey);
  }

  Optional<byte[]> recall(String storageKey) throws IOException {
    Optional<byte[]> sealed = files.load(storageKey);
    return sealed.isEmpty() ? Optional.empty() : Optional.of(key.open(storageKey, sealed.get()));
  }

  List<String> list(String prefix) throws IOException {
    return files.list(prefix);
  }

  private static String digest(byte[] data) {
    try {
      return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
