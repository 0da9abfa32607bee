package dev.gatehouse.tls;

import java.util.List;

/** Application-layer protocol names negotiated by ALPN (RFC 7301), as registered with IANA. */
public final class AlpnProtocols {
  private AlpnProtocols() {}

  /** HTTP/2 over TLS (RFC 9113 §3.2). */
  public static final String H2 = "h2";

  /** HTTP/1.1 (RFC 7301 §6). */
  public static final String HTTP_1_1 = "http/1.1";

  /** The ACME tls-alpn-01 validation protocol (RFC 8737 §6.2); never carries application data. */
  public static final String ACME_TLS_1 = "acme-tls/1";

  /** What a normal HTTPS handshake offers, in server preference order. */
  public static final List<String> HTTPS = List.of(H2, HTTP_1_1);
}
