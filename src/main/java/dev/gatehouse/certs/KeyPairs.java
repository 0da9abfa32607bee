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
      boolean rsa = type == KeyType.RSA2048 || type == KeyType.RSA4096;
      KeyPairGenerator generator = KeyPairGenerator.getInstance(rsa ? "RSA" : "EC");
      switch (type) {
        case ECDSA_P256 -> generator.initialize(new ECGenParameterSpec("secp256r1"));
        case ECDSA_P384 -> generator.initialize(new ECGenParameterSpec("secp384r1"));
        case RSA2048 -> generator.initialize(2048);
        case RSA4096 -> generator.initialize(4096);
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
