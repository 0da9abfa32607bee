package dev.gatehouse.audit.tls;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The TLS 1.2 cipher suites the audit offers on purpose to see whether a server accepts them, grouped by how
 * badly they break the connection's security.
 */
public final class CipherSuites {
  private CipherSuites() {}

  /**
   * RFC 9325 §4.1: implementations MUST NOT negotiate NULL encryption, RC4 (also RFC 7465), or less than 112
   * bits of security ("export-level" and single DES); anonymous key exchange has no server authentication at
   * all (RFC 5246 §A.5: vulnerable to man-in-the-middle attacks).
   */
  public static final List<CipherSuite> FORBIDDEN = List.of(
      new CipherSuite(0x0001, "TLS_RSA_WITH_NULL_MD5"),
      new CipherSuite(0x0002, "TLS_RSA_WITH_NULL_SHA"),
      new CipherSuite(0x003B, "TLS_RSA_WITH_NULL_SHA256"),
      new CipherSuite(0xC006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA"),
      new CipherSuite(0xC010, "TLS_ECDHE_RSA_WITH_NULL_SHA"),
      new CipherSuite(0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5"),
      new CipherSuite(0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5"),
      new CipherSuite(0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA"),
      new CipherSuite(0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA"),
      new CipherSuite(0x0004, "TLS_RSA_WITH_RC4_128_MD5"),
      new CipherSuite(0x0005, "TLS_RSA_WITH_RC4_128_SHA"),
      new CipherSuite(0xC007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"),
      new CipherSuite(0xC011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA"),
      new CipherSuite(0x0009, "TLS_RSA_WITH_DES_CBC_SHA"),
      new CipherSuite(0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA"),
      new CipherSuite(0x0018, "TLS_DH_anon_WITH_RC4_128_MD5"),
      new CipherSuite(0x001B, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA"),
      new CipherSuite(0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA"),
      new CipherSuite(0x003A, "TLS_DH_anon_WITH_AES_256_CBC_SHA"),
      new CipherSuite(0x006C, "TLS_DH_anon_WITH_AES_128_CBC_SHA256"),
      new CipherSuite(0x006D, "TLS_DH_anon_WITH_AES_256_CBC_SHA256"),
      new CipherSuite(0x00A6, "TLS_DH_anon_WITH_AES_128_GCM_SHA256"),
      new CipherSuite(0x00A7, "TLS_DH_anon_WITH_AES_256_GCM_SHA384"),
      new CipherSuite(0xC015, "TLS_ECDH_anon_WITH_NULL_SHA"),
      new CipherSuite(0xC016, "TLS_ECDH_anon_WITH_RC4_128_SHA"),
      new CipherSuite(0xC017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA"),
      new CipherSuite(0xC018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA"),
      new CipherSuite(0xC019, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA"));

  /** RFC 9325 §4.1: SHOULD NOT negotiate less than 128 bits of security; 3DES gives 112 (SWEET32, CVE-2016-2183). */
  public static final List<CipherSuite> TRIPLE_DES = List.of(
      new CipherSuite(0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
      new CipherSuite(0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA"),
      new CipherSuite(0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"),
      new CipherSuite(0xC008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"),
      new CipherSuite(0xC012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"));

  /** RFC 9325 §4.1: SHOULD NOT negotiate RSA key transport ("static RSA"): no forward secrecy. */
  public static final List<CipherSuite> RSA_KEY_TRANSPORT = List.of(
      new CipherSuite(0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA"),
      new CipherSuite(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"),
      new CipherSuite(0x003C, "TLS_RSA_WITH_AES_128_CBC_SHA256"),
      new CipherSuite(0x003D, "TLS_RSA_WITH_AES_256_CBC_SHA256"),
      new CipherSuite(0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256"),
      new CipherSuite(0x009D, "TLS_RSA_WITH_AES_256_GCM_SHA384"),
      new CipherSuite(0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"),
      new CipherSuite(0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA"),
      new CipherSuite(0xC09C, "TLS_RSA_WITH_AES_128_CCM"),
      new CipherSuite(0xC09D, "TLS_RSA_WITH_AES_256_CCM"),
      new CipherSuite(0xC050, "TLS_RSA_WITH_ARIA_128_GCM_SHA256"),
      new CipherSuite(0xC051, "TLS_RSA_WITH_ARIA_256_GCM_SHA384"));

  /**
   * What a TLS 1.0 or 1.1 server can choose from (those versions predate GCM), so that a refusal means the
   * version is off, not that no suite matched: the forward-secret CBC suites plus every suite above.
   */
  public static final List<CipherSuite> LEGACY_VERSION_PROBE = Stream.of(
      List.of(
          new CipherSuite(0xC009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
          new CipherSuite(0xC00A, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
          new CipherSuite(0xC013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
          new CipherSuite(0xC014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
          new CipherSuite(0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"),
          new CipherSuite(0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA")),
      RSA_KEY_TRANSPORT, TRIPLE_DES, FORBIDDEN).flatMap(List::stream).toList();

  /** The suite with {@code code} among those listed here. */
  public static Optional<CipherSuite> byCode(int code) {
    return LEGACY_VERSION_PROBE.stream().filter(s -> s.code() == code).findFirst();
  }

  /** The IANA name when listed here, else the code point as {@code 0xC02F}. */
  public static String name(int code) {
    return byCode(code).map(CipherSuite::name).orElse(String.format("0x%04X", code));
  }
}
