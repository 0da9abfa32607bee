package dev.gatehouse.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * {@link Storage} in a directory (the state dir). The root and every directory below it are 0700, secrets 0600,
 * everything else 0644. A write goes to a temporary file in the target's directory, is fsynced, renamed over
 * the target and the directory fsynced, so a crash at any point leaves the old file or the new one, whole.
 * Locks are {@code locks/NAME.lock} files held with {@link FileChannel#tryLock()} (other processes; the OS
 * releases them when the holder dies) plus a
 * semaphore per lock file (other threads of this JVM, which {@code FileChannel} locks do not exclude).
 */
public final class FileStorage implements Storage {

  static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");
  static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

  /** Temporary files start with this, so {@link #list} never shows a write in progress or one a crash left. */
  static final String TEMP_PREFIX = ".tmp-";

  private static final String LOCKS = "locks/";

  /** How often {@link #watch} compares the files: the "within a few seconds" of the contract. */
  static final Duration WATCH_PERIOD = Duration.ofSeconds(2);

  /** A key is slash-separated segments of safe characters; no segment is empty, {@code .} or {@code ..}. */
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9@+_-][A-Za-z0-9.@+_-]*");

  /** In-JVM holders of each lock file; shared by all instances, since file locks are held per JVM. */
  private static final ConcurrentHashMap<Path, Semaphore> IN_PROCESS = new ConcurrentHashMap<>();

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path root;
  private final BeforeRename beforeRename;

  /** Called once the temporary file is written and synced, just before it is renamed into place. */
  @FunctionalInterface
  interface BeforeRename {
    void run(Path temporary, Path target) throws IOException;
  }

  /** Opens (and creates, 0700) the storage directory {@code root}. */
  public FileStorage(Path root) throws IOException {
    this(root, (temporary, target) -> {});
  }

  /** With a hook at the one point where a crash is most interesting, for tests that simulate it. */
  FileStorage(Path root, BeforeRename beforeRename) throws IOException {
    this.root = root.toAbsolutePath().normalize();
    this.beforeRename = beforeRename;
    createDirectories(this.root);
  }

  public Path root() {
    return root;
  }

  /** The file that holds {@code key}, for messages and for tools (nginx) that read the files directly. */
  public Path pathOf(String key) {
    Path path = root;
    for (String segment : segments(key)) {
      path = path.resolve(segment);
    }
    return path;
  }

  @Override
  public Optional<byte[]> load(String key) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(pathOf(key)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Override
  public void store(String key, byte[] data, boolean secret) throws IOException {
    Path target = pathOf(key);
    Path dir = target.getParent();
    createDirectories(dir);
    Path temporary = dir.resolve(TEMP_PREFIX + target.getFileName() + "-" + randomSuffix());
    Set<PosixFilePermission> mode = secret ? SECRET : PUBLIC;
    // Created 0600 in the same call, so a secret is never readable by others, not even empty; the
    // final mode is set before any byte is written and does not depend on the umask.
    Files.createFile(temporary, PosixFilePermissions.asFileAttribute(SECRET));
    boolean renamed = false;
    try {
      Files.setPosixFilePermissions(temporary, mode);
      try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
          out.write(buffer);
        }
        out.force(true);
      }
      beforeRename.run(temporary, target);
      moveAtomically(temporary, target);
      renamed = true;
      syncDirectory(dir);
    } finally {
      if (!renamed) {
        Files.deleteIfExists(temporary);
      }
    }
  }

  @Override
  public void delete(String key) throws IOException {
    Path target = pathOf(key);
    if (Files.deleteIfExists(target)) {
      syncDirectory(target.getParent());
    }
  }

  @Override
  public List<String> list(String prefix) throws IOException {
    String normalized = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    Path dir = normalized.isEmpty() ? root : pathOf(normalized.substring(0, normalized.length() - 1));
    List<String> keys = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return keys;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        String name = entry.getFileName().toString();
        if (name.startsWith(TEMP_PREFIX)) {
          continue;
        }
        keys.add(normalized + name + (Files.isDirectory(entry) ? "/" : ""));
      }
    }
    keys.sort(null);
    return keys;
  }

  /** {@inheritDoc} Closing the returned lock more than once releases it once. */
  @Override
  public Lock lock(String name, Duration maxWait) throws IOException {
    Path file = pathOf(LOCKS + name + ".lock");
    createDirectories(file.getParent());
    long deadline = LockWait.deadline(maxWait);
    Semaphore inProcess = IN_PROCESS.computeIfAbsent(file, f -> new Semaphore(1));
    try {
      if (!inProcess.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
        throw new LockTimeoutException(name, maxWait);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while waiting for lock '" + name + "'");
    }
    FileChannel channel = null;
    try {
      FileChannel open = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      channel = open;
      return LockWait.until(deadline, name, maxWait, () -> {
        FileLock held = open.tryLock();
        return held == null ? null : new HeldLock(open, held, inProcess);
      });
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      inProcess.release();
      throw e;
    }
  }

  /**
   * {@inheritDoc} Here by comparing the modification time, size and inode of every file under {@code prefix}
   * every {@link #WATCH_PERIOD}: a rename over a key (how {@link #store} writes) always gives a new inode, so
   * a change within the file system's timestamp granularity is still seen. Another process on the same
   * machine is the only writer besides this one; {@code inotify} would not see writes through NFS either.
   */
  @Override
  public Subscription watch(String prefix, Consumer<String> changedKey) throws IOException {
    String normalized = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    Path dir = normalized.isEmpty() ? root : pathOf(normalized.substring(0, normalized.length() - 1));
    return PollingWatch.start("storage-watch " + normalized, WATCH_PERIOD, () -> versions(dir), changedKey);
  }

  /** Key → modification time, size and inode of every file below {@code dir}; temporary files and locks left out. */
  private Map<String, String> versions(Path dir) throws IOException {
    Map<String, String> versions = new HashMap<>();
    if (!Files.isDirectory(dir)) {
      return versions;
    }
    Path locks = root.resolve(LOCKS);
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attributes) {
        return d.equals(locks) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
        if (!file.getFileName().toString().startsWith(TEMP_PREFIX)) {
          versions.put(root.relativize(file).toString(),
              attributes.lastModifiedTime().toMillis() + ":" + attributes.size() + ":" + attributes.fileKey());
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        // Deleted or replaced between listing and reading: the next round sees what is there then.
        return FileVisitResult.CONTINUE;
      }
    });
    return versions;
  }

  private static final class HeldLock implements Lock {
    private final FileChannel channel;
    private final FileLock fileLock;
    private final Semaphore inProcess;
    private final AtomicBoolean open = new AtomicBoolean(true);

    HeldLock(FileChannel channel, FileLock fileLock, Semaphore inProcess) {
      this.channel = channel;
      this.fileLock = fileLock;
      this.inProcess = inProcess;
    }

    @Override
    public void close() throws IOException {
      if (!open.compareAndSet(true, false)) {
        return;
      }
      try {
        fileLock.release();
        channel.close();
      } finally {
        inProcess.release();
      }
    }
  }

  /** The segments of {@code key}, which every storage accepts only in this form (it must fit a file store). */
  static List<String> segments(String key) {
    String[] parts = key.split("/", -1);
    for (String part : parts) {
      if (!SEGMENT.matcher(part).matches()) {
        throw new IllegalArgumentException(
            "storage key '" + key + "' is not valid (expected: relative path of [A-Za-z0-9.@+_-] segments)");
      }
    }
    return List.of(parts);
  }

  /** Creates {@code dir} and any missing parents below the root with mode 0700. */
  private void createDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.getParent();
    if (parent != null && !dir.equals(root) && dir.startsWith(root)) {
      createDirectories(parent);
    } else if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
      Files.setPosixFilePermissions(dir, DIRECTORY);
      if (parent != null) {
        syncDirectory(parent);
      }
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
  }

  private static void moveAtomically(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("the file system of " + to + " cannot rename atomically; keep the state dir on a"
          + " local POSIX file system", e);
    }
  }

  /** Makes a rename or a new entry durable: on Linux a directory is synced by fsync on an open descriptor. */
  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static String randomSuffix() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
