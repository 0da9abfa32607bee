package dev.gatehouse.generate;

import java.util.List;

/**
 * Mozilla's "intermediate" server configuration, guidelines version 6.0
 * (https://ssl-config.mozilla.org/guidelines/6.0.json, https://wiki.mozilla.org/Security/Server_Side_TLS):
 * TLS 1.2 and 1.3, only AEAD ciphers with forward secrecy, the client picks its preferred cipher.
 */
public final class MozillaIntermediateTls {
  private MozillaIntermediateTls() {}

  public static final String GUIDELINES = "https://ssl-config.mozilla.org/guidelines/6.0.json";

  public static final List<String> PROTOCOLS = List.of("TLSv1.2", "TLSv1.3");

  /**
   * TLS 1.2 ciphers in OpenSSL names, in the guidelines' order. TLS 1.3 suites are not listed: OpenSSL's
   * defaults are the guidelines' three. 6.0 dropped the DHE suites of 5.7, so no {@code ssl_dhparam} is needed.
   */
  public static final List<String> TLS12_CIPHERS =
      List.of(
          "ECDHE-ECDSA-AES128-GCM-SHA256",
          "ECDHE-RSA-AES128-GCM-SHA256",
          "ECDHE-ECDSA-AES256-GCM-SHA384",
          "ECDHE-RSA-AES256-GCM-SHA384",
          "ECDHE-ECDSA-CHACHA20-POLY1305",
          "ECDHE-RSA-CHACHA20-POLY1305");

  /**
   * Key exchange groups. The guidelines put X25519MLKEM768 first; the OpenSSL 3.0 of Debian 12 does not know
   * it and nginx would refuse the whole list, so the list starts at X25519.
   */
  public static final List<String> CURVES = List.of("X25519", "prime256v1", "secp384r1");

  /** The guidelines' {@code server_preferred_order: false}: every listed cipher is strong. */
  public static final boolean SERVER_PREFERRED_ORDER = false;

  /** Session resumption: a one-day timeout, a 10 MB shared cache (about 40000 sessions), no tickets. */
  public static final String SESSION_TIMEOUT = "1d";

  public static final String SESSION_CACHE = "shared:MozSSL:10m";
}
