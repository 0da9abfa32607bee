package dev.gatehouse.audit;

/**
 * How much a finding matters, from "confirmed good" to "broken or unsafe". The order of the constants is the
 * order of severity: {@code --fail-on warning} fails on {@link #WARNING} and {@link #ERROR}.
 */
public enum Severity {
  /** The check looked and found the deployment right. */
  OK,
  /** Worth knowing (an issuer, a SameSite value, a check that did not apply), nothing to fix. */
  INFO,
  /** Works, but against a guideline, or fragile; fix it when you can. */
  WARNING,
  /** Broken for users, or unsafe; fix it now. */
  ERROR;

  /** Whether this severity is the same as or worse than {@code threshold}. */
  public boolean reaches(Severity threshold) {
    return compareTo(threshold) >= 0;
  }

  /** The lower-case name used in JSON, JUnit XML and on the command line. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
