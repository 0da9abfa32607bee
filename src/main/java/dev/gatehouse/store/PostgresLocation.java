package dev.gatehouse.store;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Where a shared store lives: {@code postgresql://USER@HOST[:PORT]/DB[?sslmode=MODE&sslrootcert=FILE]}, the
 * libpq URI form (PostgreSQL docs §34.1.1) without a password, which would show in {@code ps} and in logs.
 * {@code sslmode} means what it means to libpq (§34.19.1): {@code disable}, {@code allow}, {@code prefer} (the
 * default), {@code require}, {@code verify-ca}, {@code verify-full}.
 */
public record PostgresLocation(String user, String host, int port, String database, Map<String, String> options) {

  public static final int DEFAULT_PORT = 5432;

  static final String EXPECTED = "postgresql://USER@HOST[:PORT]/DB[?sslmode=MODE]";
  private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca",
      "verify-full");
  private static final Set<String> OPTIONS = Set.of("sslmode", "sslrootcert");

  public PostgresLocation {
    options = Map.copyOf(options);
  }

  /** Whether {@code store} names a PostgreSQL store rather than a directory. */
  public static boolean isPostgres(String store) {
    return store.startsWith("postgresql://") || store.startsWith("postgres://");
  }

  /**
   * Parses a {@code --store} value.
   *
   * @throws IllegalArgumentException with a message that shows the value and the expected form
   */
  public static PostgresLocation parse(String store) {
    URI uri;
    try {
      uri = new URI(store);
    } catch (URISyntaxException e) {
      throw invalid(store, "not a URI");
    }
    if (!isPostgres(store) || uri.getHost() == null) {
      throw invalid(store, "no host");
    }
    String userInfo = uri.getRawUserInfo();
    if (userInfo == null || userInfo.isEmpty()) {
      throw invalid(store, "no user");
    }
    if (userInfo.contains(":")) {
      throw new IllegalArgumentException("'" + store.replace(userInfo, userInfo.substring(0, userInfo.indexOf(':'))
          + ":***") + "' holds a password, which would show in ps and logs (expected: " + EXPECTED
          + ", the password in PGPASSWORD, ~/.pgpass or password_file)");
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (!path.matches("/[^/]+")) {
      throw invalid(store, "no database");
    }
    Map<String, String> options = new LinkedHashMap<>();
    if (uri.getRawQuery() != null) {
      for (String pair : uri.getRawQuery().split("&")) {
        int eq = pair.indexOf('=');
        String name = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        if (!OPTIONS.contains(name)) {
          throw invalid(store, "unknown option '" + name + "' (expected: " + String.join(", ", OPTIONS.stream()
              .sorted().toList()) + ")");
        }
        if (name.equals("sslmode") && !SSL_MODES.contains(value)) {
          throw invalid(store, "sslmode '" + value + "' (expected: one of " + String.join(", ", SSL_MODES.stream()
              .sorted().toList()) + ")");
        }
        options.put(name, value);
      }
    }
    return new PostgresLocation(URLDecoder.decode(userInfo, StandardCharsets.UTF_8), uri.getHost(),
        uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), path.substring(1), options);
  }

  private static IllegalArgumentException invalid(String store, String what) {
    return new IllegalArgumentException("'" + store + "' is not a PostgreSQL store: " + what + " (expected: "
        + EXPECTED + ")");
  }

  String jdbcUrl() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "jdbc:postgresql://" + h + ":" + port + "/" + database;
  }

  /** Driver properties: the user, password, TLS options, and bounds on connecting and on every read. */
  Properties driverProperties(String password, int connectTimeoutSeconds, int loginTimeoutSeconds,
      int socketTimeoutSeconds) {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    properties.setProperty("sslmode", options.getOrDefault("sslmode", "prefer"));
    if (options.containsKey("sslrootcert")) {
      properties.setProperty("sslrootcert", options.get("sslrootcert"));
    }
    properties.setProperty("connectTimeout", Integer.toString(connectTimeoutSeconds));
    properties.setProperty("loginTimeout", Integer.toString(loginTimeoutSeconds));
    properties.setProperty("socketTimeout", Integer.toString(socketTimeoutSeconds));
    properties.setProperty("tcpKeepAlive", "true");
    properties.setProperty("ApplicationName", "gatehouse");
    return properties;
  }

  /** {@code USER@HOST:PORT/DB}: for messages; never holds the password. */
  @Override
  public String toString() {
    return user + "@" + host + ":" + port + "/" + database;
  }
}
