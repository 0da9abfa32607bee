package dev.gatehouse.certs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StorageKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Certificates in {@link Storage}, in certbot's layout ({@link StorageKeys#liveDir}): {@code fullchain.pem},
 * {@code privkey.pem} (secret), {@code cert.pem}, {@code chain.pem}. Each file is replaced atomically; the set
 * is not, so {@link #load} checks that the four agree and that the key matches the certificate: a crash
 * between two files, or a file damaged by hand, reads as a {@link CertificateFileException} and the caller
 * issues a new certificate. Safe for concurrent use as far as the storage is; writers of one name hold {@link
 * StorageKeys#certificateLock}. Every call blocks on I/O.
 */
public final class CertificateStore {

  private final Storage storage;

  /**
   * Made on first use: {@code serve} with certificate files never reads an issuer record, and Jackson's
   * start costs about a quarter of a second on one core before the first HTTPS response (issue 6).
   */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }

  public CertificateStore(Storage storage) {
    this.storage = storage;
  }

  /**
   * Writes the four files for {@code name}. The key goes last, so that a reader that checks the set (as
   * {@link #load} does) sees a mismatch rather than a new key next to an old certificate it accepts.
   */
  public void save(String name, CertifiedKey certifiedKey) throws IOException {
    List<X509Certificate> chain = certifiedKey.chain();
    storage.store(StorageKeys.certificate(name), Pem.encodeCertificates(chain.subList(0, 1)), false);
    storage.store(StorageKeys.chain(name), Pem.encodeCertificates(chain.subList(1, chain.size())), false);
    storage.store(StorageKeys.fullchain(name), Pem.encodeCertificates(chain), false);
    storage.store(StorageKeys.privateKey(name), Pem.encodePrivateKey(certifiedKey.privateKey()), true);
  }

  /**
   * Saves like {@link #save(String, CertifiedKey)}, then records in {@link StorageKeys#renewalState} which
   * issuer made the certificate, so that a change of CA (staging to production, local CA to ACME) is seen
   * as a reason to issue anew rather than reuse.
   */
  public void save(String name, CertifiedKey certifiedKey, String issuer) throws IOException {
    save(name, certifiedKey);
    ObjectNode record = Json.MAPPER.createObjectNode();
    record.put("serial", certifiedKey.serialHex());
    record.put("issuer", issuer);
    storage.store(StorageKeys.renewalState(name), Json.MAPPER.writeValueAsBytes(record), false);
  }

  /**
   * The issuer recorded for {@code certificate} stored under {@code name}; empty if none was recorded for
   * this serial (saved without one, by another tool, or the record is unreadable).
   */
  public Optional<String> issuerOf(String name, CertifiedKey certificate) throws IOException {
    Optional<byte[]> bytes = storage.load(StorageKeys.renewalState(name));
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    JsonNode record;
    try {
      record = Json.MAPPER.readTree(bytes.get());
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
    if (record == null
        || !certificate.serialHex().equals(record.path("serial").asText())
        || !record.path("issuer").isTextual()) {
      return Optional.empty();
    }
    return Optional.of(record.path("issuer").asText());
  }

  /**
   * The stored certificate for {@code name}, or empty if none was ever stored (no {@code fullchain.pem} and
   * no {@code privkey.pem}).
   *
   * @throws CertificateFileException if the set is incomplete, truncated, corrupt, or the key does not match
   */
  public Optional<CertifiedKey> load(String name) throws IOException, CertificateFileException {
    String fullchainKey = StorageKeys.fullchain(name);
    String privateKeyKey = StorageKeys.privateKey(name);
    Optional<byte[]> fullchain = storage.load(fullchainKey);
    Optional<byte[]> privateKey = storage.load(privateKeyKey);
    if (fullchain.isEmpty() && privateKey.isEmpty()) {
      return Optional.empty();
    }
    List<X509Certificate> chain = Pem.parseCertificates(fullchainKey, required(fullchainKey, fullchain));
    PrivateKey key = Pem.parsePrivateKey(privateKeyKey, required(privateKeyKey, privateKey));
    checkPart(StorageKeys.certificate(name), chain.subList(0, 1));
    checkPart(StorageKeys.chain(name), chain.subList(1, chain.size()));
    Pem.checkKeyMatches(privateKeyKey, fullchainKey, chain.get(0), key);
    return Optional.of(new CertifiedKey(chain, key));
  }

  /** The serial (hex) of the stored leaf, or empty; reads only {@code cert.pem}, without checking the set. */
  public Optional<String> storedSerial(String name) throws IOException, CertificateFileException {
    String key = StorageKeys.certificate(name);
    Optional<byte[]> pem = storage.load(key);
    if (pem.isEmpty()) {
      return Optional.empty();
    }
    X509Certificate leaf = Pem.parseCertificates(key, pem.get()).get(0);
    return Optional.of(leaf.getSerialNumber().toString(16).toUpperCase(Locale.ROOT));
  }

  /** Removes the four files and the issuer record, e.g. after a revocation. */
  public void delete(String name) throws IOException {
    storage.delete(StorageKeys.renewalState(name));
    storage.delete(StorageKeys.privateKey(name));
    storage.delete(StorageKeys.fullchain(name));
    storage.delete(StorageKeys.chain(name));
    storage.delete(StorageKeys.certificate(name));
  }

  private static byte[] required(String key, Optional<byte[]> bytes) throws CertificateFileException {
    return bytes.orElseThrow(() -> new CertificateFileException(key + ": missing (the stored set is incomplete)"));
  }

  /**
   * {@code cert.pem} and {@code chain.pem} must hold exactly the matching certificates of {@code
   * fullchain.pem} (an empty {@code chain.pem} when there is no chain).
   */
  private void checkPart(String key, List<X509Certificate> expected)
      throws IOException, CertificateFileException {
    byte[] stored = required(key, storage.load(key));
    boolean agrees =
        expected.isEmpty()
            ? new String(stored, StandardCharsets.US_ASCII).isBlank()
            : Pem.parseCertificates(key, stored).equals(expected);
    if (!agrees) {
      throw new CertificateFileException(
          key + ": does not agree with fullchain.pem (the set was written partly or changed by hand)");
    }
  }
}
