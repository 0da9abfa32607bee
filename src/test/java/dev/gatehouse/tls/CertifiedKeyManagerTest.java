package dev.gatehouse.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import org.junit.jupiter.api.Test;

class CertifiedKeyManagerTest {

  private static CertifiedKeyManager managerFor(TestCerts.KeyType keyType) {
    TestCert cert = TestCerts.forNames("app.test").keyType(keyType).signedBy(TestCerts.ca("root")).issue();
    return new CertifiedKeyManager(new CertifiedKey(cert.chain(), cert.keyPair().getPrivate()));
  }

  @Test
  void anEcKeyServesEcKeyTypesOnly() {
    CertifiedKeyManager ec = managerFor(TestCerts.KeyType.EC_P256);

    assertThat(ec.chooseEngineServerAlias("EC", null, null)).isEqualTo(CertifiedKeyManager.ALIAS);
    assertThat(ec.chooseServerAlias("EC_EC", null, null)).isEqualTo(CertifiedKeyManager.ALIAS);
    assertThat(ec.chooseEngineServerAlias("RSA", null, null)).isNull();
    assertThat(ec.chooseEngineServerAlias("EC_RSA", null, null)).as("an ECDSA-signed certificate").isNull();
    assertThat(ec.getServerAliases("EC", null)).containsExactly(CertifiedKeyManager.ALIAS);
    assertThat(ec.getServerAliases("RSA", null)).isNull();
  }

  @Test
  void anRsaKeyServesRsaAndNeverOffersAClientCertificate() {
    CertifiedKeyManager rsa = managerFor(TestCerts.KeyType.RSA_2048);

    assertThat(rsa.chooseEngineServerAlias("RSA", null, null)).isEqualTo(CertifiedKeyManager.ALIAS);
    assertThat(rsa.chooseEngineServerAlias("EC", null, null)).isNull();
    assertThat(rsa.chooseEngineClientAlias(new String[] {"RSA"}, null, null)).isNull();
    assertThat(rsa.getClientAliases("RSA", null)).isNull();
  }

  @Test
  void theAliasGivesTheChainAndKeyOtherAliasesNothing() {
    TestCert cert = TestCerts.forNames("app.test").signedBy(TestCerts.forNames("ca.test").asCa().signedBy(TestCerts.ca("root")).issue()).issue();
    CertifiedKeyManager manager = new CertifiedKeyManager(new CertifiedKey(cert.chain(), cert.keyPair().getPrivate()));

    assertThat(manager.getCertificateChain(CertifiedKeyManager.ALIAS)).containsExactlyElementsOf(cert.chain()).hasSize(2);
    assertThat(manager.getPrivateKey(CertifiedKeyManager.ALIAS)).isEqualTo(cert.keyPair().getPrivate());
    assertThat(manager.getCertificateChain("key")).isNull();
    assertThat(manager.getPrivateKey("key")).isNull();
  }
}
