package dev.gatehouse.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * How certificates are ordered from an ACME CA (RFC 8555).
 *
 * @param directory the CA's directory URL, or an acme4j provider URI ({@code acme://letsencrypt.org})
 * @param trustAnchors extra PEM trust anchors for the CA's own HTTPS (Pebble's); never an "insecure" switch
 * @param profile a certificate profile the CA offers (Let's Encrypt: classic, tlsserver, shortlived)
 * @param dnsHook a command called as {@code CMD present|cleanup FQDN VALUE} for dns-01
 */
public record AcmeSettings(
    URI directory,
    List<Path> trustAnchors,
    Optional<String> email,
    Optional<String> eabKeyId,
    Optional<String> eabHmacKey,
    Optional<String> profile,
    KeyType keyType,
    Optional<String> dnsHook) {

  public static final URI LETSENCRYPT = URI.create("acme://letsencrypt.org");
  public static final URI LETSENCRYPT_STAGING = URI.create("acme://letsencrypt.org/staging");

  public static final AcmeSettings DEFAULT =
      new AcmeSettings(
          LETSENCRYPT,
          List.of(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          KeyType.ECDSA_P256,
          Optional.empty());

  public AcmeSettings {
    trustAnchors = List.copyOf(trustAnchors);
  }

  /** {@code --ca} values other than {@code internal}: a known name or a directory URL. */
  public static URI parseDirectory(String where, String value) throws ConfigException {
    String v = value.trim();
    switch (v.toLowerCase(Locale.ROOT)) {
      case "letsencrypt":
        return LETSENCRYPT;
      case "letsencrypt-staging":
        return LETSENCRYPT_STAGING;
      default:
        break;
    }
    try {
      URI uri = new URI(v);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("https") || scheme.equals("http")) && uri.getHost() != null) {
        return uri;
      }
      if (scheme.equals("acme")) {
        return uri;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    throw ConfigException.invalid(
        where, value, "letsencrypt, letsencrypt-staging, internal or an ACME directory URL https://...");
  }

  /** A readable name for the CA, for logs and {@code certs list}. */
  public static String describe(URI directory) {
    if (directory.equals(LETSENCRYPT)) {
      return "letsencrypt";
    }
    if (directory.equals(LETSENCRYPT_STAGING)) {
      return "letsencrypt-staging";
    }
    return directory.toString();
  }
}
