package dev.gatehouse.acme;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.shredzone.acme4j.RevocationReason;

/**
 * Revocation reasons a subscriber may give (RFC 5280 §5.3.1 codes, the subset Let's Encrypt accepts from
 * subscribers: https://letsencrypt.org/docs/revoking/), by their RFC 5280 names for {@code --reason}.
 */
public enum RevokeReason {
  UNSPECIFIED("unspecified", RevocationReason.UNSPECIFIED),
  KEY_COMPROMISE("keyCompromise", RevocationReason.KEY_COMPROMISE),
  AFFILIATION_CHANGED("affiliationChanged", RevocationReason.AFFILIATION_CHANGED),
  SUPERSEDED("superseded", RevocationReason.SUPERSEDED),
  CESSATION_OF_OPERATION("cessationOfOperation", RevocationReason.CESSATION_OF_OPERATION);

  private final String flag;
  private final RevocationReason acme;

  RevokeReason(String flag, RevocationReason acme) {
    this.flag = flag;
    this.acme = acme;
  }

  public String flag() {
    return flag;
  }

  RevocationReason acme() {
    return acme;
  }

  /** The reason named {@code value} (case-insensitive), or empty. */
  public static Optional<RevokeReason> parse(String value) {
    return Arrays.stream(values()).filter(r -> r.flag.toLowerCase(Locale.ROOT)
        .equals(value.trim().toLowerCase(Locale.ROOT))).findFirst();
  }

  /** Every valid {@code --reason}, for messages. */
  public static String valid() {
    return Arrays.stream(values()).map(RevokeReason::flag).collect(Collectors.joining(", "));
  }
}
