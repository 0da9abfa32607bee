package dev.gatehouse.audit.tls;

import java.util.Optional;

/**
 * How a server answered a {@link ClientHelloProbe}: a ServerHello choosing a version and suite, or a refusal.
 *
 * @param version the chosen version as on the wire ({@code 0x0301} = TLS 1.0), when accepted
 * @param cipherSuite the chosen suite's code point, when accepted
 * @param refusal why not, when refused: the alert, or that the connection was closed
 */
public record ServerHelloAnswer(Optional<Integer> version, Optional<Integer> cipherSuite, Optional<String> refusal) {
  public static ServerHelloAnswer accepted(int version, int cipherSuite) {
    return new ServerHelloAnswer(Optional.of(version), Optional.of(cipherSuite), Optional.empty());
  }

  public static ServerHelloAnswer refused(String reason) {
    return new ServerHelloAnswer(Optional.empty(), Optional.empty(), Optional.of(reason));
  }

  public boolean isAccepted() {
    return version.isPresent();
  }

  /** {@code TLS 1.0} for {@code 0x0301}, and so on. */
  public static String versionName(int version) {
    return switch (version) {
      case 0x0300 -> "SSL 3.0";
      case 0x0301 -> "TLS 1.0";
      case 0x0302 -> "TLS 1.1";
      case 0x0303 -> "TLS 1.2";
      case 0x0304 -> "TLS 1.3";
      default -> String.format("0x%04X", version);
    };
  }
}
