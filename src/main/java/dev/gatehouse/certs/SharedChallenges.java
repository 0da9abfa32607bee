package dev.gatehouse.certs;

import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StorageKeys;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * ACME challenge answers shared by the nodes of a cluster through their {@link Storage}, so that whichever
 * node the CA's validation reaches behind a load balancer answers it. The node that orders stores each answer
 * ({@link StorageKeys#http01Challenge}, {@link StorageKeys#tlsAlpn01Challenge}, the latter as a secret: it
 * holds a private key); every node mirrors what storage reports under {@link StorageKeys#CHALLENGES} into its
 * own {@link ChallengeResponses}, which the listeners read without blocking.
 *
 * <p>A put returns once this node's own watch has reported the stored answer (waiting at most {@link
 * #REPORT_WAIT}) and a little more: storage reports a change to every watcher at once (PostgreSQL delivers
 * a NOTIFY to every listener when the transaction commits), so by then the other nodes have read it too and
 * the CA may be told to validate. Safe for concurrent use; puts and removes block on storage.
 */
public final class SharedChallenges implements ChallengeAnswers, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(SharedChallenges.class.getName());

  /** The storage contract's bound on reporting a change (a polled storage's period). */
  static final Duration REPORT_WAIT = Duration.ofSeconds(5);

  /** For the other nodes to load an answer once its change is reported: one storage read. */
  static final Duration READ_MARGIN = Duration.ofMillis(250);

  private final Storage storage;
  private final ChallengeResponses local;
  /** Stored keys a put waits to see reported, with what releases it. */
  private final Map<String, CountDownLatch> awaitingReport = new ConcurrentHashMap<>();
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
    CountDownLatch reported = new CountDownLatch(1);
    awaitingReport.put(key, reported);
    try {
      storage.store(key, data, secret);
      if (reported.await(REPORT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        Thread.sleep(READ_MARGIN.toMillis());
      } else {
        LOG.fine(key + ": not reported by storage within " + REPORT_WAIT.toSeconds()
            + " s; other nodes may answer the CA late");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while sharing " + key);
    } finally {
      awaitingReport.remove(key, reported);
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
    CountDownLatch waiting = awaitingReport.get(key);
    if (waiting != null && stored.isPresent()) {
      waiting.countDown();
    }
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
