package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.KeyType;
import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StorageKeys;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How {@code certs renew} repeats a {@code certs issue}: certbot's {@code renewal/NAME.conf}. Stored as JSON
 * at {@link #key}; the EAB HMAC key is not kept (the account it created is).
 *
 * @param names every name of the certificate; the first is its storage name
 * @param ca {@code internal} or the ACME directory ({@code acme://letsencrypt.org}, {@code https://...})
 * @param webroot the document root for http-01 files, if issued with {@code --webroot}
 * @param standalone the {@code [ADDR:]PORT} listened on, if issued with {@code --standalone}
 * @param deployHook the command run after each renewal
 */
record CertsRenewalConfig(
    List<String> names,
    String ca,
    List<Path> trust,
    Optional<String> email,
    Optional<String> eabKeyId,
    Optional<String> profile,
    KeyType keyType,
    Optional<String> dnsHook,
    Optional<Path> webroot,
    Optional<String> standalone,
    Optional<String> deployHook) {

  static final String INTERNAL = "internal";

  private static final ObjectMapper JSON = new ObjectMapper();

  CertsRenewalConfig {
    names = List.copyOf(names);
    trust = List.copyOf(trust);
  }

  /**
   * {@code state/certs/NAME.json}, next to the manager's {@link StorageKeys#renewalState}; only certificates
   * that {@code certs issue} obtained have one.
   */
  static String key(String name) {
    return StorageKeys.certsRenewalConfig(name);
  }

  String primaryName() {
    return names.get(0);
  }

  boolean internal() {
    return ca.equals(INTERNAL);
  }

  /** The ACME settings this certificate is ordered with; {@code eabHmac} is only needed for a new account. */
  AcmeSettings acmeSettings(Optional<String> eabHmac) {
    return new AcmeSettings(URI.create(ca), trust, email, eabKeyId, eabHmac, profile, keyType, dnsHook);
  }

  static CertsRenewalConfig of(List<String> names, String ca, AcmeSettings acme, Optional<Path> webroot,
      Optional<String> standalone, Optional<String> deployHook) {
    return new CertsRenewalConfig(names, ca, acme.trustAnchors(), acme.email(), acme.eabKeyId(), acme.profile(),
        acme.keyType(), acme.dnsHook(), webroot, standalone, deployHook);
  }

  void store(Storage storage) throws IOException {
    ObjectNode json = JSON.createObjectNode();
    ArrayNode n = json.putArray("names");
    names.forEach(n::add);
    json.put("ca", ca);
    ArrayNode t = json.putArray("trust");
    trust.forEach(p -> t.add(p.toString()));
    email.ifPresent(v -> json.put("email", v));
    eabKeyId.ifPresent(v -> json.put("eabKeyId", v));
    profile.ifPresent(v -> json.put("profile", v));
    json.put("keyType", keyType.flag());
    dnsHook.ifPresent(v -> json.put("dnsHook", v));
    webroot.ifPresent(v -> json.put("webroot", v.toString()));
    standalone.ifPresent(v -> json.put("standalone", v));
    deployHook.ifPresent(v -> json.put("deployHook", v));
    storage.store(key(primaryName()), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(json), false);
  }

  /**
   * The stored configuration for {@code name}, or empty when {@code certs issue} never obtained it.
   *
   * @throws ConfigException naming the storage key when it cannot be read
   */
  static Optional<CertsRenewalConfig> load(Storage storage, String name) throws IOException, ConfigException {
    String key = key(name);
    Optional<byte[]> bytes = storage.load(key);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      JsonNode json = JSON.readTree(bytes.get());
      List<String> names = new ArrayList<>();
      json.path("names").forEach(v -> names.add(v.asText()));
      List<Path> trust = new ArrayList<>();
      json.path("trust").forEach(v -> trust.add(Path.of(v.asText())));
      if (names.isEmpty() || !json.path("ca").isTextual()) {
        throw new ConfigException(key + ": no names or no ca (expected: the JSON certs issue writes)");
      }
      return Optional.of(new CertsRenewalConfig(names, json.path("ca").asText(), trust, text(json, "email"),
          text(json, "eabKeyId"), text(json, "profile"),
          KeyType.parse(key + ": keyType", json.path("keyType").asText("ecdsa-p256")), text(json, "dnsHook"),
          text(json, "webroot").map(Path::of), text(json, "standalone"), text(json, "deployHook")));
    } catch (IOException e) {
      throw new ConfigException(key + ": unreadable (" + e.getMessage().lines().findFirst().orElse("")
          + "); issue the certificate again with certs issue");
    }
  }

  private static Optional<String> text(JsonNode json, String field) {
    return json.path(field).isTextual() ? Optional.of(json.path(field).asText()) : Optional.empty();
  }
}
