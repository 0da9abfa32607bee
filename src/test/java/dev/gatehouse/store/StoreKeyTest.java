package dev.gatehouse.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreKeyTest {

  @TempDir Path tmp;

  @Test
  void createdKeyIs0600AndReadsBackTheSame() throws Exception {
    Path file = tmp.resolve("state/store.key");
    StoreKey created = StoreKey.create(file);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    StoreKey read = StoreKey.read(file);
    assertThat(read.fingerprint()).isEqualTo(created.fingerprint());
    assertThat(read.open("k", created.seal("k", "secret".getBytes(UTF_8)))).isEqualTo("secret".getBytes(UTF_8));
    assertThatThrownBy(() -> StoreKey.create(file)).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);
  }

  @Test
  void eachSealUsesANewNonceAndOpensOnlyUnderItsOwnKeyName() throws Exception {
    StoreKey key = StoreKey.create(tmp.resolve("store.key"));
    byte[] first = key.seal("live/a/privkey.pem", "pem".getBytes(UTF_8));
    byte[] second = key.seal("live/a/privkey.pem", "pem".getBytes(UTF_8));
    assertThat(first).isNotEqualTo(second);
    assertThatThrownBy(() -> key.open("live/b/privkey.pem", first))
        .isInstanceOf(StoreKeyException.class)
        .hasMessageContaining("does not decrypt 'live/b/privkey.pem'");
    first[first.length - 1] ^= 1;
    assertThatThrownBy(() -> key.open("live/a/privkey.pem", first)).isInstanceOf(StoreKeyException.class);
  }

  @Test
  void anotherKeyCannotOpenIt() throws Exception {
    byte[] sealed = StoreKey.create(tmp.resolve("a.key")).seal("k", new byte[] {1});
    StoreKey other = StoreKey.create(tmp.resolve("b.key"));
    assertThatThrownBy(() -> other.open("k", sealed)).isInstanceOf(StoreKeyException.class);
  }

  @Test
  void aKeyFileOthersMayReadOrThatIsNotAKeyIsRefusedByName() throws Exception {
    Path open = tmp.resolve("open.key");
    StoreKey.create(open);
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> StoreKey.read(open))
        .hasMessage("store key file " + open + " is readable by other users (expected: mode 0600, chmod 600 "
            + open + ")");
    Path junk = tmp.resolve("junk.key");
    Files.writeString(junk, "hello\n");
    Files.setPosixFilePermissions(junk, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> StoreKey.read(junk)).hasMessageContaining("is not a store key");
    assertThatThrownBy(() -> StoreKey.read(tmp.resolve("none.key"))).hasMessageContaining("does not exist");
  }
}
