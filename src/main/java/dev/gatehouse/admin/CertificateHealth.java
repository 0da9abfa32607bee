package dev.gatehouse.admin;

import dev.gatehouse.certs.CertificateStatus;
import dev.gatehouse.certs.CertifiedKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How one certificate is doing, as the status page, {@code /readyz} and {@code gatehouse status} judge it.
 *
 * <p>A certificate needs attention when it is inside the last tenth of its lifetime (renewal should have
 * happened long before: at a third left, or in the CA's ARI window) or when its last renewal failed.
 */
record CertificateHealth(CertificateStatus status, Instant now) {

  /** The share of the lifetime left below which a certificate needs attention; the manager logs it too. */
  static final double LAST_TENTH = 0.1;

  Optional<CertifiedKey> current() {
    return status.current();
  }

  /** Served, and valid at {@link #now}. */
  boolean valid() {
    return current().filter(k -> !now.isBefore(k.notBefore()) && now.isBefore(k.notAfter())).isPresent();
  }

  /** Whole days until expiry (negative once expired); empty without a certificate. */
  Optional<Long> daysLeft() {
    return current().map(k -> Duration.between(now, k.notAfter()).toDays());
  }

  boolean inLastTenth() {
    return current()
        .filter(k -> Duration.between(now, k.notAfter()).toMillis() < k.lifetime().toMillis() * LAST_TENTH)
        .isPresent();
  }

  boolean renewalFailing() {
    return status.lastError().isPresent();
  }

  boolean needsAttention() {
    return !attention().isEmpty();
  }

  /** Why it needs attention, one phrase each; empty when it does not. */
  List<String> attention() {
    List<String> why = new ArrayList<>();
    if (!valid()) {
      why.add("no valid certificate is served");
    } else if (inLastTenth()) {
      why.add("inside the last tenth of its lifetime");
    }
    if (renewalFailing()) {
      why.add("the last renewal failed");
    }
    return why;
  }
}
