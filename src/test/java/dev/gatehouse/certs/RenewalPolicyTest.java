package dev.gatehouse.certs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RenewalPolicyTest {

  private static final Instant ISSUED = Instant.parse("2026-01-01T00:00:00Z");

  private static RenewalPolicy at(Instant now) {
    return new RenewalPolicy(Clock.fixed(now, ZoneOffset.UTC), new Random(42));
  }

  private static CertifiedKey lasting(Duration lifetime) throws Exception {
    return TestCertificates.valid(ISSUED, ISSUED.plus(lifetime), "app.test");
  }

  private static RenewalSchedule lifetimeSchedule(Duration lifetime) throws Exception {
    return at(ISSUED).schedule(lasting(lifetime), Optional.empty(), Optional.empty());
  }

  @Test
  void pebblesFiveYearCertificateRenewsWithTwentyMonthsLeft() throws Exception {
    Duration fiveYears = Duration.ofDays(5 * 365 + 1);
    RenewalSchedule schedule = lifetimeSchedule(fiveYears);
    assertThat(schedule.renewAt()).isEqualTo(ISSUED.plus(fiveYears).minus(fiveYears.dividedBy(3)));
    assertThat(schedule.reason()).isEqualTo("1/3 of lifetime left");
  }

  @Test
  void aNinetyDayCertificateRenewsOnDaySixty() throws Exception {
    assertThat(lifetimeSchedule(Duration.ofDays(90)).renewAt()).isEqualTo(ISSUED.plus(Duration.ofDays(60)));
  }

  @Test
  void aSixtyFourDayCertificateRenewsWithAThirdLeft() throws Exception {
    Instant renewAt = lifetimeSchedule(Duration.ofDays(64)).renewAt();
    assertThat(Duration.between(renewAt, ISSUED.plus(Duration.ofDays(64)))).isEqualTo(Duration.ofDays(64).dividedBy(3));
    assertThat(renewAt).isBetween(ISSUED.plus(Duration.ofDays(42)), ISSUED.plus(Duration.ofDays(43)));
  }

  @Test
  void aFortyFiveDayTlsserverCertificateRenewsOnDayThirty() throws Exception {
    assertThat(lifetimeSchedule(Duration.ofDays(45)).renewAt()).isEqualTo(ISSUED.plus(Duration.ofDays(30)));
  }

  @Test
  void aSixDayShortlivedCertificateRenewsAtHalfItsLifetime() throws Exception {
    RenewalSchedule schedule = lifetimeSchedule(Duration.ofDays(6));
    assertThat(schedule.renewAt()).isEqualTo(ISSUED.plus(Duration.ofDays(3)));
    assertThat(schedule.reason()).isEqualTo("1/2 of lifetime left (short-lived)");
  }

  @Test
  void theLocalCasSevenDayCertificateRenewsAfterThreeAndAHalfDays() throws Exception {
    assertThat(lifetimeSchedule(Duration.ofDays(7)).renewAt()).isEqualTo(ISSUED.plus(Duration.ofHours(84)));
  }

  @Test
  void dueOnlyFromTheRenewalMoment() throws Exception {
    CertifiedKey cert = lasting(Duration.ofDays(90));
    RenewalSchedule schedule = at(ISSUED).schedule(cert, Optional.empty(), Optional.empty());
    assertThat(at(ISSUED.plus(Duration.ofDays(60)).minusSeconds(1)).isDue(schedule)).isFalse();
    assertThat(at(ISSUED.plus(Duration.ofDays(60))).isDue(schedule)).isTrue();
  }

  @Test
  void criticalWithLessThanATenthOfTheLifetimeLeft() throws Exception {
    CertifiedKey ninety = lasting(Duration.ofDays(90));
    assertThat(at(ISSUED.plus(Duration.ofDays(81)).minusSeconds(1)).isCritical(ninety)).isFalse();
    assertThat(at(ISSUED.plus(Duration.ofDays(81)).plusSeconds(1)).isCritical(ninety)).isTrue();
    CertifiedKey six = lasting(Duration.ofDays(6));
    assertThat(at(ISSUED.plus(Duration.ofHours(129))).isCritical(six)).isFalse();
    assertThat(at(ISSUED.plus(Duration.ofHours(130))).isCritical(six)).isTrue();
    assertThat(at(ISSUED.plus(Duration.ofDays(7))).isCritical(six)).as("expired").isTrue();
  }

  @Test
  void anAriWindowIsUsedInsteadOfTheLifetimeAtARandomMomentInside() throws Exception {
    CertifiedKey cert = lasting(Duration.ofDays(90));
    Instant start = ISSUED.plus(Duration.ofDays(10));
    Instant end = ISSUED.plus(Duration.ofDays(12));
    RenewalWindow window = new RenewalWindow(start, end, Optional.empty());
    Instant first = null;
    boolean moved = false;
    for (int seed = 0; seed < 20; seed++) {
      RenewalSchedule schedule =
          new RenewalPolicy(Clock.fixed(ISSUED, ZoneOffset.UTC), new Random(seed))
              .schedule(cert, Optional.of(window), Optional.empty());
      assertThat(schedule.renewAt()).isBetween(start, end);
      assertThat(schedule.reason()).isEqualTo("ARI window " + start + " to " + end);
      assertThat(schedule.window()).contains(window);
      moved |= first != null && !schedule.renewAt().equals(first);
      first = first == null ? schedule.renewAt() : first;
    }
    assertThat(moved).as("different random draws give different moments").isTrue();
  }

  @Test
  void theRandomMomentIsUniformOverTheWindow() throws Exception {
    CertifiedKey cert = lasting(Duration.ofDays(90));
    Instant start = ISSUED.plus(Duration.ofDays(30));
    RenewalWindow window = new RenewalWindow(start, start.plus(Duration.ofHours(10)), Optional.empty());
    RenewalPolicy policy = at(ISSUED);
    int[] perHour = new int[10];
    for (int i = 0; i < 10_000; i++) {
      Instant at = policy.schedule(cert, Optional.of(window), Optional.empty()).renewAt();
      perHour[(int) Duration.between(start, at).toHours()]++;
    }
    for (int count : perHour) {
      assertThat(count).isBetween(850, 1150);
    }
  }

  @Test
  void theMomentStaysPutWhileTheCaKeepsTheSameWindow() throws Exception {
    CertifiedKey cert = lasting(Duration.ofDays(90));
    RenewalWindow window =
        new RenewalWindow(ISSUED.plus(Duration.ofDays(58)), ISSUED.plus(Duration.ofDays(62)), Optional.empty());
    RenewalPolicy policy = at(ISSUED);
    RenewalSchedule first = policy.schedule(cert, Optional.of(window), Optional.empty());
    RenewalSchedule again = policy.schedule(cert, Optional.of(window), Optional.of(first));
    assertThat(again.renewAt()).isEqualTo(first.renewAt());

    RenewalWindow revoked =
        new RenewalWindow(ISSUED.plus(Duration.ofDays(1)), ISSUED.plus(Duration.ofDays(1)).plusSeconds(60),
            Optional.empty());
    RenewalSchedule moved = policy.schedule(cert, Optional.of(revoked), Optional.of(first));
    assertThat(moved.renewAt()).isBetween(revoked.start(), revoked.end());
  }

  @Test
  void aWindowInThePastMakesRenewalDueNow() throws Exception {
    CertifiedKey cert = lasting(Duration.ofDays(90));
    RenewalWindow past =
        new RenewalWindow(ISSUED.plus(Duration.ofDays(1)), ISSUED.plus(Duration.ofDays(2)), Optional.empty());
    RenewalPolicy policy = at(ISSUED.plus(Duration.ofDays(5)));
    assertThat(policy.isDue(policy.schedule(cert, Optional.of(past), Optional.empty()))).isTrue();
  }

  @Test
  void nonsenseWindowsFallBackToTheLifetimeRule() throws Exception {
    CertifiedKey cert = lasting(Duration.ofDays(90));
    RenewalPolicy policy = at(ISSUED);
    RenewalWindow inverted =
        new RenewalWindow(ISSUED.plus(Duration.ofDays(50)), ISSUED.plus(Duration.ofDays(40)), Optional.empty());
    RenewalWindow afterExpiry =
        new RenewalWindow(ISSUED.plus(Duration.ofDays(80)), ISSUED.plus(Duration.ofDays(100)), Optional.empty());
    for (RenewalWindow w : new RenewalWindow[] {inverted, afterExpiry}) {
      RenewalSchedule schedule = policy.schedule(cert, Optional.of(w), Optional.empty());
      assertThat(schedule.renewAt()).isEqualTo(ISSUED.plus(Duration.ofDays(60)));
      assertThat(schedule.window()).isEmpty();
    }
  }

  @Test
  void checksComeEverySixHoursGiveOrTakeTenPercent() throws Exception {
    RenewalPolicy policy = new RenewalPolicy(Clock.fixed(ISSUED, ZoneOffset.UTC), new Random(7));
    RenewalSchedule farAway = lifetimeSchedule(Duration.ofDays(90));
    Duration shortest = Duration.ofDays(1);
    Duration longest = Duration.ZERO;
    for (int i = 0; i < 1000; i++) {
      Duration wait = Duration.between(ISSUED, policy.nextCheck(farAway));
      assertThat(wait).isBetween(Duration.ofMinutes(324), Duration.ofMinutes(396));
      shortest = wait.compareTo(shortest) < 0 ? wait : shortest;
      longest = wait.compareTo(longest) > 0 ? wait : longest;
    }
    assertThat(shortest).isLessThan(Duration.ofMinutes(330));
    assertThat(longest).isGreaterThan(Duration.ofMinutes(390));
  }

  @Test
  void theNextCheckIsNoLaterThanTheRenewalMoment() throws Exception {
    CertifiedKey six = lasting(Duration.ofDays(6));
    Instant now = ISSUED.plus(Duration.ofDays(3)).minus(Duration.ofHours(1));
    RenewalPolicy policy = at(now);
    RenewalSchedule schedule = policy.schedule(six, Optional.empty(), Optional.empty());
    assertThat(policy.nextCheck(schedule)).isEqualTo(ISSUED.plus(Duration.ofDays(3)));
  }

  @Test
  void anAriRetryAfterSetsTheNextCheckWithinOneMinuteToOneDay() throws Exception {
    CertifiedKey cert = lasting(Duration.ofDays(90));
    RenewalPolicy policy = at(ISSUED);
    Instant start = ISSUED.plus(Duration.ofDays(60));
    Instant end = ISSUED.plus(Duration.ofDays(61));
    assertThat(nextCheckWithRetryAfter(policy, cert, start, end, ISSUED.plus(Duration.ofHours(2))))
        .isEqualTo(ISSUED.plus(Duration.ofHours(2)));
    assertThat(nextCheckWithRetryAfter(policy, cert, start, end, ISSUED.plusSeconds(5)))
        .isEqualTo(ISSUED.plus(Duration.ofMinutes(1)));
    assertThat(nextCheckWithRetryAfter(policy, cert, start, end, ISSUED.plus(Duration.ofDays(9))))
        .isEqualTo(ISSUED.plus(Duration.ofDays(1)));
  }

  private static Instant nextCheckWithRetryAfter(
      RenewalPolicy policy, CertifiedKey cert, Instant start, Instant end, Instant retryAfter) {
    RenewalWindow window = new RenewalWindow(start, end, Optional.of(retryAfter));
    return policy.nextCheck(policy.schedule(cert, Optional.of(window), Optional.empty()));
  }
}
