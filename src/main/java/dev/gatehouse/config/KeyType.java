package dev.gatehouse.config;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Private key types for certificates. ECDSA P-256 is the default: small, fast handshakes, universal. */
public enum KeyType {
  ECDSA_P256("ecdsa-p256"),
  ECDSA_P384("ecdsa-p384"),
  RSA2048("rsa2048"),
  RSA4096("rsa4096");

  private final String flag;

  KeyType(String flag) {
    this.flag = flag;
  }

  public String flag() {
    return flag;
  }

  public static KeyType parse(String where, String value) throws ConfigException {
    for (KeyType t : values()) {
      if (t.flag.equalsIgnoreCase(value.trim())) {
        return t;
      }
    }
    throw ConfigException.invalid(
        where, value, Arrays.stream(values()).map(KeyType::flag).collect(Collectors.joining(", ")));
  }
}
