package dev.gatehouse.tls;

import java.time.Duration;
import java.util.List;

/**
 * Mozilla's "intermediate" server-side TLS configuration, guideline v5.7
 * (https://ssl-config.mozilla.org/ intermediate, https://ssl-config.mozilla.org/guidelines/5.7.json): TLS 1.2
 * and 1.3 only, forward-secret AEAD ciphers only, for every client since Firefox 27, Android 4.4.2, Chrome 31,
 * Java 8u31 and OpenSSL 1.0.1.
 */
public final class MozillaIntermediate {
  private MozillaIntermediate() {}

  /** {@code tls_versions}: TLS 1.0 and 1.1 are refused (RFC 8996). */
  public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  /**
   * {@code ciphersuites} (TLS 1.3) then {@code ciphers.iana} (TLS 1.2), in Mozilla's order. IANA names work
   * with both providers; BoringSSL has no DHE suites, so the three DHE entries are dropped there by Netty's
   * supported-cipher filter.
   */
  public static final List<String> CIPHERS =
      List.of(
          "TLS_AES_128_GCM_SHA256",
          "TLS_AES_256_GCM_SHA384",
          "TLS_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
          "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256",
          "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384",
          "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  /** {@code tls_curves}, as OpenSSL/BoringSSL name them. */
  public static final List<String> GROUPS = List.of("X25519", "prime256v1", "secp384r1");

  /** nginx's {@code ssl_session_timeout 1d} from the same generator. */
  public static final Duration SESSION_TIMEOUT = Duration.ofDays(1);
}
