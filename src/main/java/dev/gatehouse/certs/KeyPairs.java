package dev.gatehouse.certs;

import dev.gatehouse.config.KeyType;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** New key pairs for certificates, from the JDK's providers. */
public final class KeyPairs {
  private KeyPairs() {}

  public static KeyPair generate(KeyType type) {
    try {
      KeyPairGenerator generator;
      switch (type) {
        case ECDSA_P256 -> {
          generator = KeyPairGenerator.getInstance("EC");
          generator.initialize(new ECGenParameterSpec("secp256r1"));
        }
        case ECDSA_P384 -> {
          generator = KeyPairGenerator.getInstance("EC");
          generator.initialize(new ECGenParameterSpec("secp384r1"));
        }
        case RSA2048 -> {
          generator = KeyPairGenerator.getInstance("RSA");
          generator.initialize(2048);
        }
        case RSA4096 -> {
          generator = KeyPairGenerator.getInstance("RSA");
          generator.initialize(4096);
        }
        default -> throw new IllegalArgumentException("unknown key type " + type);
      }
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate " + type.flag() + " keys", e);
    }
  }

  /** The JCA signature algorithm that signs with {@code keyAlgorithm} ("EC", "RSA") over SHA-256. */
  static String sha256SignatureAlgorithm(String keyAlgorithm) {
    return switch (keyAlgorithm) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      case "Ed25519", "EdDSA" -> "Ed25519";
      default -> throw new IllegalArgumentException("unsupported key algorithm " + keyAlgorithm);
    };
  }
}
