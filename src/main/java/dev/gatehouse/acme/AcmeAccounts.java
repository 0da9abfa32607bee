package dev.gatehouse.acme;

import dev.gatehouse.certs.KeyPairs;
import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.KeyType;
import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StorageKeys;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Optional;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.util.KeyPairUtils;

/**
 * The ACME account per CA and email (RFC 8555 §7.3), kept in storage: {@link StorageKeys#accountKey} (the
 * key pair, secret) and {@link StorageKeys#accountUrl}. The key is stored before the account is created, so
 * a crash in between is healed by registering the same key again, which returns the existing account
 * (RFC 8555 §7.3.1). Registering agrees to the CA's terms of service, as Caddy does.
 */
final class AcmeAccounts {

  private static final System.Logger LOG = System.getLogger(AcmeAccounts.class.getName());

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

  /** The account key, P-256 (ES256 signatures, RFC 7518 §3.4), created and stored on first use. */
  private KeyPair loadOrCreateKey() throws IOException {
    String key = StorageKeys.accountKey(settings.directory(), settings.email());
    Optional<byte[]> pem = storage.load(key);
    if (pem.isPresent()) {
      try (var reader = new InputStreamReader(new ByteArrayInputStream(pem.get()), StandardCharsets.US_ASCII)) {
        return KeyPairUtils.readKeyPair(reader);
      } catch (IOException | RuntimeException e) {
        throw new IOException(key + ": unreadable ACME account key (" + e.getMessage() + "); move it away to"
            + " register a new account", e);
      }
    }
    KeyPair keyPair = KeyPairs.generate(KeyType.ECDSA_P256);
    StringWriter out = new StringWriter();
    KeyPairUtils.writeKeyPair(keyPair, out);
    storage.store(key, out.toString().getBytes(StandardCharsets.US_ASCII), true);
    return keyPair;
  }
}
