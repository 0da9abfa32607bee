package dev.gatehouse.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.KeyType;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AcmeSessionsTest {

  @TempDir Path dir;

  private static AcmeSettings settings(URI directory, List<Path> trust) {
    return new AcmeSettings(directory, trust, Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), KeyType.ECDSA_P256, Optional.empty());
  }

  @Test
  void letsEncryptUrisGoThroughAcme4jsOwnProviderWithoutTheNetwork() throws Exception {
    var production = AcmeSessions.open(settings(AcmeSettings.LETSENCRYPT, List.of()));
    var staging = AcmeSessions.open(settings(AcmeSettings.LETSENCRYPT_STAGING, List.of()));
    assertThat(production.provider().resolve(production.getServerUri()).toString())
        .isEqualTo("https://acme-v02.api.letsencrypt.org/directory");
    assertThat(staging.provider().resolve(staging.getServerUri()).toString())
        .isEqualTo("https://acme-staging-v02.api.letsencrypt.org/directory");
  }

  @Test
  void directoryUrlsGoThroughTheProviderThatAlsoTrustsTheExtraAnchors() throws Exception {
    var session = AcmeSessions.open(settings(URI.create("https://ca.example/dir"), List.of()));
    assertThat(session.provider()).isInstanceOf(TrustAnchorsAcmeProvider.class);
  }

  @Test
  void anUnknownAcmeUriIsAConfigErrorNamingCa() {
    assertThatThrownBy(() -> AcmeSessions.open(settings(URI.create("acme://nowhere.example"), List.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--ca: 'acme://nowhere.example' is not valid (expected: letsencrypt, letsencrypt-staging or an"
            + " https:// directory URL)");
  }

  @Test
  void aTrustFileWithoutCertificatesIsAConfigErrorNamingTheFile() throws Exception {
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "hello");
    assertThatThrownBy(() -> AcmeSessions.open(settings(URI.create("https://ca.example/dir"), List.of(notPem))))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--acme-trust: '" + notPem + "' is not valid (expected: a PEM file with CERTIFICATE blocks)");
  }
}
