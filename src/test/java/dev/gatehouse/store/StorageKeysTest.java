package dev.gatehouse.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StorageKeysTest {

  @Test
  void certificatesUseCertbotsLiveLayout() {
    assertThat(StorageKeys.fullchain("example.com")).isEqualTo("live/example.com/fullchain.pem");
    assertThat(StorageKeys.privateKey("example.com")).isEqualTo("live/example.com/privkey.pem");
    assertThat(StorageKeys.certificate("example.com")).isEqualTo("live/example.com/cert.pem");
    assertThat(StorageKeys.chain("example.com")).isEqualTo("live/example.com/chain.pem");
  }

  @Test
  void aWildcardGetsADirectoryThatCannotCollideWithTheBareName() {
    assertThat(StorageKeys.liveDir("*.example.com")).isEqualTo("live/wildcard_.example.com/");
    assertThat(StorageKeys.liveDir("*.example.com")).isNotEqualTo(StorageKeys.liveDir("example.com"));
  }

  @Test
  void ipAddressesAreSafeDirectoryNames() {
    assertThat(StorageKeys.liveDir("127.0.0.1")).isEqualTo("live/127.0.0.1/");
    assertThat(StorageKeys.liveDir("::1")).isEqualTo("live/__1/");
  }

  @Test
  void namesThatWouldLeaveTheDirectoryAreRefused() {
    for (String bad : new String[] {"..", "../etc", "a/b", ".", "a..b", ""}) {
      assertThatThrownBy(() -> StorageKeys.liveDir(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void accountsArePerCaAndEmail() {
    URI letsencrypt = URI.create("https://acme-v02.api.letsencrypt.org/directory");
    assertThat(StorageKeys.accountKey(letsencrypt, Optional.of("Ops@Example.com")))
        .isEqualTo("accounts/acme-v02.api.letsencrypt.org-directory/ops@example.com/account.key");
    assertThat(StorageKeys.accountUrl(letsencrypt, Optional.empty()))
        .isEqualTo("accounts/acme-v02.api.letsencrypt.org-directory/default/account.url");
    assertThat(StorageKeys.accountDir(URI.create("https://127.0.0.1:14000/dir"), Optional.empty()))
        .isEqualTo("accounts/127.0.0.1_14000-dir/default/");
    assertThat(StorageKeys.accountDir(URI.create("acme://letsencrypt.org/staging"), Optional.empty()))
        .isEqualTo("accounts/letsencrypt.org-staging/default/");
  }

  @Test
  void anEmailCannotEscapeItsDirectory() {
    URI ca = URI.create("https://ca.test/dir");
    assertThat(StorageKeys.accountDir(ca, Optional.of("../../etc/x"))).isEqualTo("accounts/ca.test-dir/etc-x/");
    assertThat(StorageKeys.accountDir(ca, Optional.of(".."))).isEqualTo("accounts/ca.test-dir/default/");
  }

  @Test
  void challengeAnswersLiveUnderChallenges() {
    assertThat(StorageKeys.http01Challenge("abc_-9")).isEqualTo("challenges/http-01/abc_-9");
    assertThat(StorageKeys.tlsAlpn01Challenge("WWW.Example.com")).isEqualTo("challenges/tls-alpn-01/www.example.com");
    assertThatThrownBy(() -> StorageKeys.http01Challenge("../x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'../x'");
  }

  @Test
  void everyKeyIsValidForFileStorage(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    FileStorage storage = new FileStorage(tmp);
    URI ca = URI.create("https://127.0.0.1:14000/dir");
    for (String key :
        new String[] {
          StorageKeys.fullchain("*.example.com"),
          StorageKeys.renewalState("::1"),
          StorageKeys.accountKey(ca, Optional.of("a+b@example.com")),
          StorageKeys.LOCAL_CA_KEY,
          StorageKeys.HSTS_STATE,
          StorageKeys.http01Challenge("LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0"),
          StorageKeys.tlsAlpn01Challenge("*.example.com"),
        }) {
      storage.store(key, new byte[] {1}, true);
      assertThat(storage.load(key)).as(key).isPresent();
    }
    storage.lock(StorageKeys.certificateLock("*.example.com")).close();
    storage.lock(StorageKeys.accountLock(ca, Optional.of("a@b.c"))).close();
    storage.lock(StorageKeys.LOCAL_CA_LOCK).close();
  }
}
