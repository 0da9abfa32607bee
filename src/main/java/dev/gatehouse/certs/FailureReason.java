package dev.gatehouse.certs;

import java.util.Locale;

/**
 * Why an issuance failed, in the few kinds an operator acts on differently; the label of the {@code reason}
 * of {@code gatehouse_certificate_renewal_failures_total}. Read from the failure's one log line, whose
 * wording the issuers keep stable: RFC 8555 §6.7 problem types ({@code rateLimited}, {@code dns},
 * {@code connection}) and "validation failed" / "cannot reach the ACME CA".
 */
public enum FailureReason {
  /** The CA refused for a rate limit (RFC 8555 §6.6); waiting is the fix. */
  RATE_LIMITED("rate_limited"),
  /** The CA could not validate a challenge: DNS, firewall, port 80/443 not reaching this server. */
  VALIDATION("validation"),
  /** The CA could not be reached or not trusted. */
  CA_UNREACHABLE("ca_unreachable"),
  /** Anything else (a local error, an unexpected CA answer). */
  OTHER("other");

  private final String label;

  FailureReason(String label) {
    this.label = label;
  }

  /** The Prometheus label value: lower case, underscores. */
  public String label() {
    return label;
  }

  /** The kind of failure a failure's one log line describes. */
  public static FailureReason of(String failureLine) {
    String line = failureLine.toLowerCase(Locale.ROOT);
    if (line.contains("ratelimited") || line.contains("rate limit")) {
      return RATE_LIMITED;
    }
    if (line.contains("validation failed")) {
      return VALIDATION;
    }
    if (line.contains("cannot reach the acme ca") || line.contains("is not trusted")) {
      return CA_UNREACHABLE;
    }
    return OTHER;
  }
}
