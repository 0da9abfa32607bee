package dev.gatehouse.cli;

import dev.gatehouse.acme.AcmeIssuer;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.IssuanceException;
import dev.gatehouse.certs.RenewalPolicy;
import dev.gatehouse.certs.RenewalSchedule;
import dev.gatehouse.certs.RenewalWindow;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.store.Storage;
import java.util.Optional;

/**
 * When a stored certificate renews and why, for {@code certs list} and {@code certs renew}: the CA's ARI
 * window (RFC 9773) when its directory offers renewalInfo, else {@link RenewalPolicy}'s lifetime rule.
 */
final class CertsRenewalCheck {
  private CertsRenewalCheck() {}

  /**
   * @param schedule the moment and the reason
   * @param ariProblem why the CA's window could not be fetched, when it could not
   */
  record Result(RenewalSchedule schedule, Optional<String> ariProblem) {}

  static Result check(Storage storage, Optional<CertsRenewalConfig> config, CertifiedKey certificate) {
    RenewalPolicy policy = new RenewalPolicy();
    Optional<RenewalWindow> window = Optional.empty();
    Optional<String> problem = Optional.empty();
    if (config.isPresent() && !config.get().internal()) {
      try {
        window = AcmeIssuer.builder(config.get().acmeSettings(Optional.empty()), storage).build()
            .renewalWindow(certificate);
      } catch (IssuanceException | ConfigException e) {
        problem = Optional.of(e.getMessage());
      }
    }
    return new Result(policy.schedule(certificate, window, Optional.empty()), problem);
  }

  static boolean isDue(RenewalSchedule schedule) {
    return new RenewalPolicy().isDue(schedule);
  }
}
