package dev.gatehouse.store;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Every storage key Gatehouse uses, built in one place so the layout is documented once:
 *
 * <pre>
 * live/NAME/fullchain.pem   leaf + chain, what nginx's ssl_certificate points at (certbot layout)
 * live/NAME/privkey.pem     the certificate's private key, PKCS#8, 0600
 * live/NAME/cert.pem        the leaf alone
 * live/NAME/chain.pem       the chain without the leaf
 * accounts/CA/EMAIL/account.key   an ACME account key per CA and email, 0600
 * accounts/CA/EMAIL/account.url   that account's URL at the CA
 * localca/root.pem, localca/root.key   the local CA's root and its key (0600)
 * state/hsts.json           the HSTS ramp stage
 * state/renewal/NAME.json   renewal state of one certificate (ARI window, failures)
 * challenges/http-01/TOKEN         the key authorization a node answers for that token (shared by a cluster)
 * challenges/tls-alpn-01/NAME      the acme-tls/1 challenge certificate + key PEM for NAME, secret
 * </pre>
 *
 * NAME is a site's primary name. A wildcard name {@code *.example.com} is stored as {@code
 * wildcard_.example.com} (certmagic's convention): {@code *} is awkward in shell paths, and certbot's choice of
 * dropping the {@code *.} would collide with a certificate for {@code example.com} itself. The {@code _} cannot
 * appear in a host name, so the directory never collides with a real one.
 */
public final class StorageKeys {
  private StorageKeys() {}

  public static final String LIVE = "live/";
  public static final String ACCOUNTS = "accounts/";
  public static final String LOCAL_CA_ROOT = "localca/root.pem";
  public static final String LOCAL_CA_KEY = "localca/root.key";
  public static final String HSTS_STATE = "state/hsts.json";

  /** {@code PID START-TIME} of the running {@code serve}, so {@code certs} can signal it. */
  public static final String SERVE_PID = "state/serve.pid";

  /** Forced renewals {@code certs renew} asks a running {@code serve} to make, one key per name. */
  public static final String RENEW_REQUESTS = "state/renew-requests/";

  /** Where the answers to pending ACME challenges live, so whichever node the CA reaches can answer. */
  public static final String CHALLENGES = "challenges/";

  public static final String HTTP01_CHALLENGES = CHALLENGES + "http-01/";
  public static final String TLS_ALPN01_CHALLENGES = CHALLENGES + "tls-alpn-01/";

  /** An ACME token is base64url without padding (RFC 8555 §8.1, §8.3); nothing else may name a file. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]+");

  /** File names that hold private keys wherever they appear: certificate keys, account keys, the local CA key. */
  private static final Pattern SECRET_NAME = Pattern.compile("privkey\\.pem|.*\\.key");

  /** The lock held while the local CA's root is created. */
  public static final String LOCAL_CA_LOCK = "localca";

  private static final String WILDCARD_PREFIX = "wildcard_.";

  /** What a host name or IP address may contain once lower-cased (IPv6 colons are replaced). */
  private static final Pattern SAFE_NAME = Pattern.compile("[a-z0-9._-]+");

  private static final Pattern UNSAFE_IN_SEGMENT = Pattern.compile("[^a-z0-9.@+_-]+");

  /**
   * The directory name a certificate for {@code name} is stored under: {@code *.example.com} becomes {@code
   * wildcard_.example.com}, the IPv6 {@code ::1} becomes {@code __1}.
   *
   * @throws IllegalArgumentException for a name that would escape its directory ({@code ..}, {@code /})
   */
  public static String safeName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.startsWith("*.")) {
      n = WILDCARD_PREFIX + n.substring(2);
    }
    n = n.replace(':', '_');
    if (!SAFE_NAME.matcher(n).matches() || n.startsWith(".") || n.contains("..")) {
      throw new IllegalArgumentException("not a host name usable as a storage key: '" + name + "'");
    }
    return n;
  }

  /**
   * Whether the layout says {@code key} holds a secret: a private key ({@code privkey.pem}, {@code *.key}) or
   * a tls-alpn-01 challenge certificate with its key. For copies between stores; writers say it themselves.
   */
  public static boolean isSecret(String key) {
    return key.startsWith(TLS_ALPN01_CHALLENGES) || SECRET_NAME.matcher(key.substring(key.lastIndexOf('/') + 1))
        .matches();
  }

  /** {@code live/NAME/}: the certbot-compatible directory of one certificate. */
  public static String liveDir(String name) {
    return LIVE + safeName(name) + "/";
  }

  public static String fullchain(String name) {
    return liveDir(name) + "fullchain.pem";
  }

  public static String privateKey(String name) {
    return liveDir(name) + "privkey.pem";
  }

  public static String certificate(String name) {
    return liveDir(name) + "cert.pem";
  }

  public static String chain(String name) {
    return liveDir(name) + "chain.pem";
  }

  /** The lock held while a certificate for {@code name} is ordered and stored, across processes. */
  public static String certificateLock(String name) {
    return "cert-" + safeName(name);
  }

  /**
   * {@code challenges/http-01/TOKEN}: the key authorization served at {@code
   * /.well-known/acme-challenge/TOKEN} (RFC 8555 §8.3).
   *
   * @throws IllegalArgumentException for a token that is not base64url
   */
  public static String http01Challenge(String token) {
    if (!TOKEN.matcher(token).matches()) {
      throw new IllegalArgumentException("not an ACME token (expected: base64url characters): '" + token + "'");
    }
    return HTTP01_CHALLENGES + token;
  }

  /**
   * {@code challenges/tls-alpn-01/NAME}: the self-signed acme-tls/1 certificate and its key, as PEM (RFC 8737
   * §3); store it as a secret.
   */
  public static String tlsAlpn01Challenge(String name) {
    return TLS_ALPN01_CHALLENGES + safeName(name);
  }

  /** {@code state/renewal/NAME.json}: when and why the certificate renews next, failures so far. */
  public static String renewalState(String name) {
    return "state/renewal/" + safeName(name) + ".json";
  }

  /** {@code state/renew-requests/NAME}: a forced renewal of {@code name} for serve's next SIGHUP. */
  public static String renewRequest(String name) {
    return RENEW_REQUESTS + safeName(name);
  }

  /** {@code state/certs/NAME.json}: how {@code certs issue} obtained {@code name}, for {@code certs renew}. */
  public static String certsRenewalConfig(String name) {
    return "state/certs/" + safeName(name) + ".json";
  }

  /** {@code accounts/CA/EMAIL/issuance-budget.json}: next to the account, as CAs count failures per account. */
  public static String issuanceBudget(URI directory, Optional<String> email) {
    return accountDir(directory, email) + "issuance-budget.json";
  }

  /**
   * {@code accounts/CA/EMAIL/}: one ACME account per CA and contact email ({@code default} without one). CA is
   * the directory's host, port and path, e.g. {@code acme-v02.api.letsencrypt.org-directory} or {@code
   * 127.0.0.1_14000-dir}; acme4j's {@code acme://letsencrypt.org/staging} gives {@code
   * letsencrypt.org-staging}.
   */
  public static String accountDir(URI directory, Optional<String> email) {
    return ACCOUNTS + caSegment(directory) + "/" + emailSegment(email) + "/";
  }

  public static String accountKey(URI directory, Optional<String> email) {
    return accountDir(directory, email) + "account.key";
  }

  public static String accountUrl(URI directory, Optional<String> email) {
    return accountDir(directory, email) + "account.url";
  }

  /** The lock held while an ACME account is created or loaded. */
  public static String accountLock(URI directory, Optional<String> email) {
    return "account-" + caSegment(directory) + "-" + emailSegment(email);
  }

  static String caSegment(URI directory) {
    String host = directory.getHost() == null ? "" : directory.getHost();
    String port = directory.getPort() < 0 ? "" : "_" + directory.getPort();
    String path = directory.getPath() == null ? "" : directory.getPath();
    return sanitize(host + port + path.replace('/', '-'), "ca");
  }

  static String emailSegment(Optional<String> email) {
    return email.map(e -> sanitize(e, "default")).orElse("default");
  }

  /** Lower-cases and keeps only characters that are safe in one path segment; never {@code .} or {@code ..}. */
  private static String sanitize(String raw, String fallback) {
    String s = UNSAFE_IN_SEGMENT.matcher(raw.toLowerCase(Locale.ROOT)).replaceAll("-");
    s = s.replaceAll("-+", "-").replaceAll("^[-.]+|[-.]+$", "");
    return s.isEmpty() ? fallback : s;
  }
}
