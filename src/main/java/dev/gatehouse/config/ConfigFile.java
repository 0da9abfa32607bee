package dev.gatehouse.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code gatehouse.toml}: the same settings as {@code gatehouse serve}'s flags (snake_case keys),
 * an {@code [acme]} table and one {@code [[site]]} table per site. Unknown keys are errors, so a typo is
 * never silently ignored. See the README for an example.
 */
public final class ConfigFile {

  static final Set<String> TOP_KEYS =
      Set.of(
          "bind", "http_port", "https_port", "state_dir", "hsts", "hsts_include_subdomains", "hsts_preload",
          "redirect_status", "max_body", "upstream_timeout", "trusted_proxies", "access_log", "access_log_format", "admin", "acme", "site",
          "header_read_timeout", "body_idle_timeout", "keep_alive_timeout", "tls_handshake_timeout", "write_timeout",
          "max_connections_per_ip", "buffer_requests", "stream_requests", "store", "store_key_file",
          "password_file");
  static final Set<String> ACME_KEYS =
      Set.of("ca", "trust", "email", "eab_kid", "eab_hmac", "profile", "key_type", "dns_hook");
  static final Set<String> SITE_KEYS = Set.of("names", "upstream", "static", "ca", "tls_cert", "tls_key");

  private final Path file;
  private final JsonNode root;

  private ConfigFile(Path file, JsonNode root) {
    this.file = file;
    this.root = root;
  }

  /** Parses the file; a syntax error names the file and line. */
  public static ConfigFile read(Path file) throws ConfigException {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read (" + e.getMessage() + ")");
    }
    try {
      return new ConfigFile(file, new TomlMapper().readTree(text));
    } catch (JacksonException e) {
      String where = e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr();
      throw new ConfigException(file + where + ": not valid TOML (" + e.getOriginalMessage() + ")");
    }
  }

  /** Applies every setting of the file to {@code builder}; flags applied afterwards override them. */
  public void applyTo(ServeConfigBuilder builder) throws ConfigException {
    checkKeys(root, TOP_KEYS, "");
    Optional<String> v;
    if ((v = string(root, "bind")).isPresent()) {
      builder.bind(key("bind"), v.get());
    }
    if ((v = scalar(root, "http_port")).isPresent()) {
      builder.httpPort(key("http_port"), v.get());
    }
    if ((v = scalar(root, "https_port")).isPresent()) {
      builder.httpsPort(key("https_port"), v.get());
    }
    if ((v = string(root, "state_dir")).isPresent()) {
      builder.stateDir(resolve(v.get()));
    }
    if ((v = string(root, "store")).isPresent()) {
      builder.store(key("store"), v.get());
    }
    if ((v = string(root, "store_key_file")).isPresent()) {
      builder.storeKeyFile(resolve(v.get()));
    }
    if ((v = string(root, "password_file")).isPresent()) {
      builder.passwordFile(resolve(v.get()));
    }
    if ((v = scalar(root, "hsts")).isPresent()) {
      builder.hsts(key("hsts"), v.get());
    }
    if (bool(root, "hsts_include_subdomains")) {
      builder.hstsIncludeSubdomains(true);
    }
    if (bool(root, "hsts_preload")) {
      builder.hstsPreload(true);
    }
    if ((v = scalar(root, "redirect_status")).isPresent()) {
      builder.redirectStatus(key("redirect_status"), v.get());
    }
    if ((v = scalar(root, "max_body")).isPresent()) {
      builder.maxBody(key("max_body"), v.get());
    }
    if ((v = string(root, "upstream_timeout")).isPresent()) {
      builder.upstreamTimeout(key("upstream_timeout"), v.get());
    }
    for (String name : Limits.TIMEOUT_NAMES) {
      if ((v = string(root, name)).isPresent()) {
        builder.clientTimeout(key(name), name, v.get());
      }
    }
    if ((v = scalar(root, "max_connections_per_ip")).isPresent()) {
      builder.maxConnectionsPerIp(key("max_connections_per_ip"), v.get());
    }
    if (root.has("buffer_requests")) {
      builder.bufferRequests(bool(root, "buffer_requests"));
    }
    for (String prefix : strings(root, "stream_requests")) {
      builder.streamRequests(key("stream_requests"), prefix);
    }
    for (String cidr : strings(root, "trusted_proxies")) {
      builder.trustedProxy(key("trusted_proxies"), cidr);
    }
    if ((v = string(root, "access_log")).isPresent()) {
      builder.accessLog(key("access_log"), v.get());
    }
    if ((v = string(root, "access_log_format")).isPresent()) {
      builder.accessLogFormat(key("access_log_format"), v.get());
    }
    if ((v = string(root, "admin")).isPresent()) {
      builder.admin(key("admin"), v.get());
    }
    applyAcme(builder);
    JsonNode sites = root.path("site");
    if (!sites.isMissingNode() && !sites.isArray()) {
      throw new ConfigException(key("site") + ": expected [[site]] tables");
    }
    int i = 0;
    for (JsonNode site : sites) {
      i++;
      String where = file + " [[site]] #" + i;
      checkKeys(site, SITE_KEYS, "[[site]] #" + i + " ");
      builder.site(
          new ServeConfigBuilder.SiteSpec(
              strings(site, "names"),
              string(site, "upstream"),
              strings(site, "static").stream().map(this::resolveStatic).toList(),
              string(site, "ca"),
              string(site, "tls_cert").map(this::resolve),
              string(site, "tls_key").map(this::resolve),
              where));
    }
  }

  private void applyAcme(ServeConfigBuilder builder) throws ConfigException {
    JsonNode acme = root.path("acme");
    if (acme.isMissingNode()) {
      return;
    }
    checkKeys(acme, ACME_KEYS, "[acme] ");
    AcmeSettings a = builder.acme();
    List<Path> trust = new ArrayList<>();
    for (String t : strings(acme, "trust")) {
      trust.add(resolve(t));
    }
    KeyType keyType = a.keyType();
    Optional<String> kt = string(acme, "key_type");
    if (kt.isPresent()) {
      keyType = KeyType.parse(key("[acme] key_type"), kt.get());
    }
    builder.acme(
        new AcmeSettings(
            a.directory(),
            trust.isEmpty() ? a.trustAnchors() : trust,
            string(acme, "email").or(a::email),
            string(acme, "eab_kid").or(a::eabKeyId),
            string(acme, "eab_hmac").or(a::eabHmacKey),
            string(acme, "profile").or(a::profile),
            keyType,
            string(acme, "dns_hook").or(a::dnsHook)));
    Optional<String> ca = string(acme, "ca");
    if (ca.isPresent()) {
      builder.ca(key("[acme] ca"), ca.get());
    }
  }

  private String key(String name) {
    return file + ": " + name;
  }

  /** Paths in the file are relative to the file's directory. */
  private Path resolve(String path) {
    Path dir = file.toAbsolutePath().getParent();
    return dir.resolve(path).normalize();
  }

  /** {@code PREFIX=DIR} with DIR relative to the file's directory; malformed values are left to the parser. */
  private String resolveStatic(String mount) {
    int eq = mount.indexOf('=');
    return eq < 0 ? mount : mount.substring(0, eq + 1) + resolve(mount.substring(eq + 1).trim());
  }

  private void checkKeys(JsonNode node, Set<String> allowed, String table) throws ConfigException {
    if (!node.isObject()) {
      throw new ConfigException(file + ": " + table + "is not a table");
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      String k = entry.getKey();
      if (!allowed.contains(k)) {
        throw new ConfigException(file + ": unknown key '" + k + "' in " + (table.isEmpty() ? "the top level " : table)
            + "(expected one of: " + String.join(", ", allowed.stream().sorted().toList()) + ")");
      }
    }
  }

  private Optional<String> string(JsonNode node, String name) throws ConfigException {
    JsonNode v = node.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw new ConfigException(key(name) + ": expected a string, got " + v);
    }
    return Optional.of(v.asText());
  }

  /** A string or a number, for keys like {@code hsts = 300} or {@code hsts = "ramp"}. */
  private Optional<String> scalar(JsonNode node, String name) throws ConfigException {
    JsonNode v = node.get(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!v.isValueNode()) {
      throw new ConfigException(key(name) + ": expected a single value, got " + v);
    }
    return Optional.of(v.asText());
  }

  private boolean bool(JsonNode node, String name) throws ConfigException {
    JsonNode v = node.get(name);
    if (v == null) {
      return false;
    }
    if (!v.isBoolean()) {
      throw new ConfigException(key(name) + ": expected true or false, got " + v);
    }
    return v.asBoolean();
  }

  private List<String> strings(JsonNode node, String name) throws ConfigException {
    JsonNode v = node.get(name);
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    if (v.isTextual()) {
      out.add(v.asText());
      return out;
    }
    if (!v.isArray()) {
      throw new ConfigException(key(name) + ": expected a list of strings, got " + v);
    }
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw new ConfigException(key(name) + ": expected a list of strings, got " + v);
      }
      out.add(item.asText());
    }
    return out;
  }
}
