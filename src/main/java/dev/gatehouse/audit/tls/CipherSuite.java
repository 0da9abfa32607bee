package dev.gatehouse.audit.tls;

/**
 * A TLS cipher suite by its IANA code point and name (IANA "TLS Cipher Suites" registry).
 *
 * @param code the two-byte code point, e.g. {@code 0x000A}
 * @param name the IANA name, e.g. {@code TLS_RSA_WITH_3DES_EDE_CBC_SHA}
 */
public record CipherSuite(int code, String name) {
  @Override
  public String toString() {
    return name;
  }
}
