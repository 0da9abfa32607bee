package dev.gatehouse.acme;

import dev.gatehouse.certs.CertificateFileException;
import dev.gatehouse.certs.KeyPairs;
import dev.gatehouse.certs.Pem;
import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.KeyType;
import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StorageKeys;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Optional;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * The ACME account per CA and email (RFC 8555 §7.3), kept in storage: {@link StorageKeys#accountKey} (the
 * key pair, secret) and {@link StorageKeys#accountUrl}. The key is stored before the account is created, so
 * a crash in between is healed by registering the same key again, which returns the existing account
 * (RFC 8555 §7.3.1). Registering agrees to the CA's terms of service, as Caddy does.
 */
final class AcmeAccounts {

  private static final System.Logger LOG = System.getLogger(AcmeAccounts.class.getName());

  /** Not registered as a JCA provider: only asked directly, for the EC arithmetic the JDK does not expose. */
  private static final BouncyCastleProvider BOUNCY_CASTLE = new BouncyCastleProvider();

  private final Storage storage;
  private final AcmeSettings settings;

  AcmeAccounts(Storage storage, AcmeSettings settings) {
    this.storage = storage;
    this.settings = settings;
  }

  /** The stored account, or a new one registered now. */
  @SuppressWarnings("try") // the lock is held, not used
  Login login(Session session) throws AcmeException, IOException {
    URI ca = settings.directory();
    try (Storage.Lock lock = storage.lock(StorageKeys.accountLock(ca, settings.email()))) {
      KeyPair keyPair = loadOrCreateKey();
      Optional<byte[]> url = storage.load(StorageKeys.accountUrl(ca, settings.email()));
      if (url.isPresent()) {
        return session.login(URI.create(new String(url.get(), StandardCharsets.UTF_8).trim()).toURL(), keyPair);
      }
      return register(session, keyPair);
    }
  }

  /**
   * Registers the stored key again, for when the CA no longer knows the stored account URL (Pebble forgets
   * everything on restart; a CA may delete deactivated accounts).
   */
  @SuppressWarnings("try") // the lock is held, not used
  Login reRegister(Session session) throws AcmeException, IOException {
    URI ca = settings.directory();
    try (Storage.Lock lock = storage.lock(StorageKeys.accountLock(ca, settings.email()))) {
      storage.delete(StorageKeys.accountUrl(ca, settings.email()));
      return register(session, loadOrCreateKey());
    }
  }

  private Login register(Session session, KeyPair keyPair) throws AcmeException, IOException {
    AccountBuilder builder = new AccountBuilder().agreeToTermsOfService().useKeyPair(keyPair);
    settings.email().ifPresent(builder::addEmail);
    if (settings.eabKeyId().isPresent() && settings.eabHmacKey().isPresent()) {
      builder.withKeyIdentifier(settings.eabKeyId().get(), settings.eabHmacKey().get());
    }
    Login login = builder.createLogin(session);
    URL location = login.getAccountLocation();
    storage.store(
        StorageKeys.accountUrl(settings.directory(), settings.email()),
        location.toString().getBytes(StandardCharsets.UTF_8),
        false);
    LOG.log(Level.INFO, "registered ACME account " + location + " at " + AcmeSettings.describe(settings.directory())
        + settings.email().map(e -> " for " + e).orElse(""));
    return login;
  }

  /**
   * The account key, P-256 (ES256 signatures, RFC 7518 §3.4), created and stored on first use as PKCS#8
   * (0600). The JDK's PKCS#8 encoding of an EC key omits the public point, so it is derived again on load.
   */
  private KeyPair loadOrCreateKey() throws IOException {
    String key = StorageKeys.accountKey(settings.directory(), settings.email());
    Optional<byte[]> pem = storage.load(key);
    if (pem.isPresent()) {
      try {
        return withPublicKey(Pem.parsePrivateKey(key, pem.get()));
      } catch (CertificateFileException | GeneralSecurityException e) {
        throw new IOException(key + ": unreadable ACME account key (" + e.getMessage() + "); move it away to"
            + " register a new account", e);
      }
    }
    KeyPair keyPair = KeyPairs.generate(KeyType.ECDSA_P256);
    storage.store(key, Pem.encodePrivateKey(keyPair.getPrivate()), true);
    return keyPair;
  }

  /** The key pair of an EC private key: Q = d·G on its curve, computed with BouncyCastle. */
  static KeyPair withPublicKey(PrivateKey privateKey) throws GeneralSecurityException {
    if (!(privateKey instanceof java.security.interfaces.ECPrivateKey jdk)
        || !(KeyFactory.getInstance("EC", BOUNCY_CASTLE).translateKey(privateKey)
            instanceof org.bouncycastle.jce.interfaces.ECPrivateKey bc)) {
      throw new InvalidKeyException("not an EC key but " + privateKey.getAlgorithm());
    }
    var q = bc.getParameters().getG().multiply(bc.getD()).normalize();
    ECPoint point = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    PublicKey publicKey = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, jdk.getParams()));
    return new KeyPair(publicKey, privateKey);
  }
}
