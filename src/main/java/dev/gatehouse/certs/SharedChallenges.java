package dev.gatehouse.certs;

import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StorageKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * ACME challenge answers shared by the nodes of a cluster through their {@link Storage}, so that whichever
 * node the CA's validation reaches behind a load balancer answers it. The node that orders stores each answer
 * ({@link StorageKeys#http01Challenge}, {@link StorageKeys#tlsAlpn01Challenge}, the latter as a secret: it
 * holds a private key); every node mirrors what storage reports under {@link StorageKeys#CHALLENGES} into its
 * own {@link ChallengeResponses}, which the listeners read without blocking.
 *
 * <p>{@link #awaitVisible} returns {@link #REPORT_WAIT} after the last put: the storage contract's bound on
 * reporting a change to every watcher, so the other nodes have every answer before the CA is told to validate,
 * even one whose change notifications are briefly down (PostgreSQL's LISTEN connection at a node's start: then
 * its periodic check finds the answer). Safe for concurrent use; puts and removes block on storage.
 */
public final class SharedChallenges implements ChallengeAnswers, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(SharedChallenges.class.getName());

  /** The storage contract's bound on reporting a change to every watcher, and the other nodes' read. */
  static final Duration REPORT_WAIT = Duration.ofSeconds(5);

  private final Storage storage;
  private final ChallengeResponses local;
  /** When the last answer was stored ({@link System#nanoTime}), for {@link #awaitVisible}. */
  private final AtomicLong lastPut = new AtomicLong(System.nanoTime() - REPORT_WAIT.toNanos());
  /** The name each mirrored tls-alpn-01 key stands for, to withdraw it when the key is deleted. */
  private final Map<String, String> tlsAlpn01Names = new ConcurrentHashMap<>();
  private Storage.Subscription subscription;

  private SharedChallenges(Storage storage, ChallengeResponses local) {
    this.storage = storage;
    this.local = local;
  }

  /**
   * Starts mirroring answers stored by any node into {@code local}, including those pending now (a node that
   * starts while another is ordering answers too). A storage unreachable now is watched once it is back.
   */
  public static SharedChallenges start(Storage storage, ChallengeResponses local) {
    SharedChallenges shared = new SharedChallenges(storage, local);
    shared.subscription = RetryingWatch.start(storage, StorageKeys.CHALLENGES, shared::mirror, shared::mirrorPending);
    shared.mirrorPending();
    return shared;
  }

  /** Mirrors every answer pending in storage. */
  private void mirrorPending() {
    for (String dir : new String[] {StorageKeys.HTTP01_CHALLENGES, StorageKeys.TLS_ALPN01_CHALLENGES}) {
      try {
        for (String key : storage.list(dir)) {
          mirror(key);
        }
      } catch (IOException e) {
        LOG.fine("cannot list the shared challenges in " + dir + ": " + e.getMessage());
      }
    }
  }

  @Override
  public void putHttp01(String token, String keyAuthorization) throws IOException {
    local.putHttp01(token, keyAuthorization);
    share(StorageKeys.http01Challenge(token), keyAuthorization.getBytes(StandardCharsets.US_ASCII), false);
  }

  @Override
  public void removeHttp01(String token) {
    local.removeHttp01(token);
    unshare(StorageKeys.http01Challenge(token));
  }

  @Override
  public void putTlsAlpn01(String name, CertifiedKey challengeCertificate) throws IOException {
    local.putTlsAlpn01(name, challengeCertificate);
    String key = StorageKeys.tlsAlpn01Challenge(name);
    tlsAlpn01Names.put(key, name);
    byte[] certificate = Pem.encodeCertificates(challengeCertificate.chain());
    byte[] privateKey = Pem.encodePrivateKey(challengeCertificate.privateKey());
    byte[] both = new byte[certificate.length + privateKey.length];
    System.arraycopy(certificate, 0, both, 0, certificate.length);
    System.arraycopy(privateKey, 0, both, certificate.length, privateKey.length);
    share(key, both, true);
  }

  @Override
  public void removeTlsAlpn01(String name) {
    local.removeTlsAlpn01(name);
    unshare(StorageKeys.tlsAlpn01Challenge(name));
  }

  /** Stops mirroring; answers already mirrored stay until removed. */
  @Override
  public void close() {
    subscription.close();
  }

  private void share(String key, byte[] data, boolean secret) throws IOException {
    storage.store(key, data, secret);
    lastPut.set(System.nanoTime());
  }

  @Override
  public void awaitVisible() throws InterruptedException {
    long left = lastPut.get() + REPORT_WAIT.toNanos() - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  private void unshare(String key) {
    try {
      storage.delete(key);
    } catch (IOException e) {
      LOG.fine("cannot remove the answered challenge " + key + " from storage: " + e.getMessage());
    }
  }

  /** A watch report: the answer under {@code key} appeared, changed or went away. */
  private void mirror(String key) {
    Optional<byte[]> stored;
    try {
      stored = storage.load(key);
    } catch (IOException e) {
      LOG.fine("cannot read the shared challenge " + key + ": " + e.getMessage());
      return;
    }
    try {
      if (key.startsWith(StorageKeys.HTTP01_CHALLENGES)) {
        String token = key.substring(StorageKeys.HTTP01_CHALLENGES.length());
        if (stored.isPresent()) {
          local.putHttp01(token, new String(stored.get(), StandardCharsets.US_ASCII));
        } else {
          local.removeHttp01(token);
        }
      } else if (key.startsWith(StorageKeys.TLS_ALPN01_CHALLENGES)) {
        mirrorTlsAlpn01(key, stored);
      }
    } catch (CertificateFileException e) {
      LOG.warning("shared challenge answer is unusable: " + e.getMessage());
    }
    LOG.fine(() -> "shared challenge " + key + (stored.isPresent() ? " answered here too" : " withdrawn"));
  }

  private void mirrorTlsAlpn01(String key, Optional<byte[]> stored) throws CertificateFileException {
    if (stored.isEmpty()) {
      String name = tlsAlpn01Names.remove(key);
      if (name != null) {
        local.removeTlsAlpn01(name);
      }
      return;
    }
    String pem = new String(stored.get(), StandardCharsets.US_ASCII);
    int keyStart = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    if (keyStart < 0) {
      throw new CertificateFileException(key + ": no private key after the certificate");
    }
    CertifiedKey challenge =
        new CertifiedKey(
            Pem.parseCertificates(key, pem.substring(0, keyStart).getBytes(StandardCharsets.US_ASCII)),
            Pem.parsePrivateKey(key, pem.substring(keyStart).getBytes(StandardCharsets.US_ASCII)));
    // RFC 8737 §3: the challenge certificate names exactly the identifier being validated.
    if (challenge.names().size() != 1) {
      throw new CertificateFileException(key + ": names " + challenge.names() + " (expected: exactly one)");
    }
    String name = challenge.names().get(0);
    tlsAlpn01Names.put(key, name);
    local.putTlsAlpn01(name, challenge);
  }
}
