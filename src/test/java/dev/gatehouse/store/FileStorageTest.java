package dev.gatehouse.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStorageTest {

  @TempDir Path tmp;

  private static String mode(Path path) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void createsRootAndSubdirectories0700() throws Exception {
    Path root = tmp.resolve("state");
    FileStorage storage = new FileStorage(root);
    storage.store("live/example.com/cert.pem", "x".getBytes(UTF_8), false);

    assertThat(mode(root)).isEqualTo("rwx------");
    assertThat(mode(root.resolve("live"))).isEqualTo("rwx------");
    assertThat(mode(root.resolve("live/example.com"))).isEqualTo("rwx------");
  }

  @Test
  void secretsAre0600AndEverythingElse0644() throws Exception {
    FileStorage storage = new FileStorage(tmp.resolve("state"));
    storage.store("live/a/privkey.pem", "key".getBytes(UTF_8), true);
    storage.store("live/a/cert.pem", "cert".getBytes(UTF_8), false);

    assertThat(mode(storage.pathOf("live/a/privkey.pem"))).isEqualTo("rw-------");
    assertThat(mode(storage.pathOf("live/a/cert.pem"))).isEqualTo("rw-r--r--");
  }

  @Test
  void replacingASecretWithAPublicFileChangesItsMode() throws Exception {
    FileStorage storage = new FileStorage(tmp.resolve("state"));
    storage.store("k", "one".getBytes(UTF_8), true);
    storage.store("k", "two".getBytes(UTF_8), false);

    assertThat(mode(storage.pathOf("k"))).isEqualTo("rw-r--r--");
    assertThat(storage.load("k")).hasValueSatisfying(b -> assertThat(new String(b, UTF_8)).isEqualTo("two"));
  }

  @Test
  void aSecretIsOwnerOnlyBeforeItsBytesAreRenamedIntoPlace() throws Exception {
    AtomicReference<String> modeAtRename = new AtomicReference<>();
    AtomicReference<String> bytesAtRename = new AtomicReference<>();
    FileStorage storage =
        new FileStorage(
            tmp.resolve("state"),
            (temporary, target) -> {
              try {
                modeAtRename.set(mode(temporary));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
              bytesAtRename.set(Files.readString(temporary));
            });
    storage.store("accounts/ca/default/account.key", "secret".getBytes(UTF_8), true);

    assertThat(modeAtRename.get()).isEqualTo("rw-------");
    assertThat(bytesAtRename.get()).isEqualTo("secret");
  }

  @Test
  void storeReplacesTheOldBytesAndLeavesNoTemporaryFile() throws Exception {
    FileStorage storage = new FileStorage(tmp.resolve("state"));
    storage.store("state/hsts.json", "{\"stage\":1}".getBytes(UTF_8), false);
    storage.store("state/hsts.json", "{\"stage\":2}".getBytes(UTF_8), false);

    assertThat(new String(storage.load("state/hsts.json").orElseThrow(), UTF_8)).isEqualTo("{\"stage\":2}");
    try (Stream<Path> files = Files.list(storage.pathOf("state"))) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("hsts.json");
    }
  }

  @Test
  void aCrashBetweenWritingAndRenamingLeavesTheOldFileWhole() throws Exception {
    Path root = tmp.resolve("state");
    FileStorage storage = new FileStorage(root);
    storage.store("live/a/fullchain.pem", "old certificate".getBytes(UTF_8), false);

    Process child = StorageChild.start("crash-before-rename", root.toString(), "live/a/fullchain.pem", "new");
    assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(child.exitValue()).as("the child died in the hook").isEqualTo(137);

    assertThat(new String(storage.load("live/a/fullchain.pem").orElseThrow(), UTF_8))
        .isEqualTo("old certificate");
    try (Stream<Path> files = Files.list(root.resolve("live/a"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .as("the crash left its temporary file, and nothing else changed")
          .anyMatch(n -> n.startsWith(FileStorage.TEMP_PREFIX));
    }
    assertThat(storage.list("live/a/")).containsExactly("live/a/fullchain.pem");
  }

  @Test
  void aFailedWriteRemovesItsTemporaryFile() throws Exception {
    FileStorage storage =
        new FileStorage(
            tmp.resolve("state"),
            (temporary, target) -> {
              throw new java.io.IOException("disk full");
            });
    assertThatThrownBy(() -> storage.store("a/b", "x".getBytes(UTF_8), false)).hasMessage("disk full");
    try (Stream<Path> files = Files.list(storage.pathOf("a"))) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void listShowsOneLevelWithDirectoriesEndingInSlash() throws Exception {
    FileStorage storage = new FileStorage(tmp.resolve("state"));
    storage.store("live/a.example/cert.pem", new byte[0], false);
    storage.store("live/b.example/cert.pem", new byte[0], false);
    storage.store("live/readme", new byte[0], false);

    assertThat(storage.list("live/")).containsExactly("live/a.example/", "live/b.example/", "live/readme");
    assertThat(storage.list("live")).containsExactly("live/a.example/", "live/b.example/", "live/readme");
    assertThat(storage.list("nothing/")).isEmpty();
    assertThat(storage.list("")).containsExactly("live/");
  }

  @Test
  void loadAndDeleteOfAMissingKeyAreQuiet() throws Exception {
    FileStorage storage = new FileStorage(tmp.resolve("state"));
    assertThat(storage.load("live/x/cert.pem")).isEmpty();
    storage.delete("live/x/cert.pem");
    storage.store("live/x/cert.pem", new byte[] {1}, false);
    storage.delete("live/x/cert.pem");
    assertThat(storage.load("live/x/cert.pem")).isEmpty();
  }

  @Test
  void keysThatCouldEscapeTheRootAreRefused() throws Exception {
    FileStorage storage = new FileStorage(tmp.resolve("state"));
    for (String key : List.of("../x", "/etc/passwd", "a//b", "a/./b", "a/../b", "", "a/", ".hidden", "a\\b")) {
      assertThatThrownBy(() -> storage.store(key, new byte[0], false))
          .as(key)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'" + key + "'");
    }
  }

  @Test
  void aLockExcludesOtherThreads() throws Exception {
    FileStorage storage = new FileStorage(tmp.resolve("state"));
    FileStorage sameRootOtherInstance = new FileStorage(tmp.resolve("state"));
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger mostInside = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        FileStorage s = i % 2 == 0 ? storage : sameRootOtherInstance;
        done.add(
            pool.submit(
                () -> {
                  Storage.Lock lock = s.lock("cert-example.com");
                  try {
                    mostInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    Thread.sleep(20);
                    inside.decrementAndGet();
                  } finally {
                    lock.close();
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(mostInside.get()).isEqualTo(1);
  }

  @Test
  void aLockHeldByAnotherProcessIsWaitedFor() throws Exception {
    Path root = tmp.resolve("state");
    FileStorage storage = new FileStorage(root);
    Path released = tmp.resolve("released");
    Process child = StorageChild.start("hold-lock", root.toString(), "cert-example.com", released.toString());
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8));
        Writer in = new OutputStreamWriter(child.getOutputStream(), UTF_8)) {
      assertThat(out.readLine()).isEqualTo("locked");
      CountDownLatch trying = new CountDownLatch(1);
      CompletableFuture<Boolean> childHadReleased =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  trying.countDown();
                  Storage.Lock lock = storage.lock("cert-example.com");
                  boolean result = Files.exists(released);
                  lock.close();
                  return result;
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      trying.await();
      // Give a broken lock time to be wrongly granted before the child lets go.
      Thread.sleep(300);
      assertThat(childHadReleased).isNotDone();
      in.write("release\n");
      in.flush();
      assertThat(childHadReleased.get(60, TimeUnit.SECONDS)).isTrue();
    } finally {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void closingALockTwiceReleasesItOnce() throws Exception {
    FileStorage storage = new FileStorage(tmp.resolve("state"));
    Storage.Lock first = storage.lock("x");
    first.close();
    first.close();
    Storage.Lock second = storage.lock("x");
    CompletableFuture<Void> third =
        CompletableFuture.runAsync(
            () -> {
              try {
                storage.lock("x").close();
              } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(200);
    assertThat(third).as("a double close must not let a third holder in").isNotDone();
    second.close();
    third.get(30, TimeUnit.SECONDS);
  }

  @Test
  void aLockStillHeldAfterMaxWaitTimesOutNamingTheLock() throws Exception {
    FileStorage storage = new FileStorage(tmp.resolve("state"));
    Path root = tmp.resolve("state");
    Process child = StorageChild.start("hold-lock", root.toString(), "cert-example.com", tmp.resolve("r").toString());
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
      assertThat(out.readLine()).isEqualTo("locked");
      assertThatThrownBy(() -> storage.lock("cert-example.com", Duration.ofMillis(300)))
          .isInstanceOf(LockTimeoutException.class)
          .hasMessage("lock 'cert-example.com' is still held by another process after waiting 300 ms");
      Storage.Lock inThisJvm = storage.lock("other");
      assertThatThrownBy(() -> storage.lock("other", Duration.ofMillis(100)))
          .isInstanceOf(LockTimeoutException.class);
      inThisJvm.close();
    } finally {
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void aLockIsReleasedWhenItsHolderIsKilled() throws Exception {
    Path root = tmp.resolve("state");
    FileStorage storage = new FileStorage(root);
    Process child = StorageChild.start("hold-lock", root.toString(), "cert-example.com", tmp.resolve("r").toString());
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), UTF_8))) {
      assertThat(out.readLine()).isEqualTo("locked");
      child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      storage.lock("cert-example.com", Duration.ofSeconds(30)).close();
    }
  }

  @Test
  void watchSeesAnotherInstancesStoresAndDeletesUnderThePrefix() throws Exception {
    FileStorage watched = new FileStorage(tmp.resolve("state"));
    FileStorage writer = new FileStorage(tmp.resolve("state"));
    writer.store("live/a.example/cert.pem", "1".getBytes(UTF_8), false);
    BlockingQueue<String> changed = new LinkedBlockingQueue<>();
    Storage.Subscription subscription = watched.watch("live/", changed::add);
    try {
      writer.store("live/a.example/cert.pem", "2".getBytes(UTF_8), false);
      writer.store("state/hsts.json", "{}".getBytes(UTF_8), false);
      assertThat(changed.poll(10, TimeUnit.SECONDS)).isEqualTo("live/a.example/cert.pem");
      writer.delete("live/a.example/cert.pem");
      assertThat(changed.poll(10, TimeUnit.SECONDS)).isEqualTo("live/a.example/cert.pem");
      writer.lock("cert-a.example").close();
      writer.store("live/b.example/privkey.pem", "k".getBytes(UTF_8), true);
      assertThat(changed.poll(10, TimeUnit.SECONDS)).isEqualTo("live/b.example/privkey.pem");
    } finally {
      subscription.close();
    }
    assertThat(changed).isEmpty();
  }
}
