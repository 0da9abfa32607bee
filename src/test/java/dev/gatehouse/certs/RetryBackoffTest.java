package dev.gatehouse.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryBackoffTest {

  private static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
  private static final RetryBackoff BACKOFF = new RetryBackoff(Duration.ofMinutes(1), Duration.ofHours(6), 3);

  private static Deque<Instant> none() {
    return new ArrayDeque<>();
  }

  @Test
  void waitsDoubleUpToTheCap() {
    List<Duration> waits =
        List.of(1, 2, 3, 4, 9, 10, 30, 1000).stream()
            .map(n -> Duration.between(NOW, BACKOFF.nextAttempt(NOW, n, none(), Optional.empty())))
            .toList();
    assertThat(waits)
        .containsExactly(
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(8),
            Duration.ofMinutes(256), Duration.ofHours(6), Duration.ofHours(6), Duration.ofHours(6));
  }

  @Test
  void aRetryAfterLaterThanTheBackoffWins() {
    Instant rateLimitedUntil = NOW.plus(Duration.ofHours(3));
    assertThat(BACKOFF.nextAttempt(NOW, 1, none(), Optional.of(rateLimitedUntil))).isEqualTo(rateLimitedUntil);
    assertThat(BACKOFF.nextAttempt(NOW, 3, none(), Optional.of(NOW.plusSeconds(10))))
        .isEqualTo(NOW.plus(Duration.ofMinutes(4)));
  }

  @Test
  void noMoreThanTheBudgetOfFailuresInAnyHour() {
    Deque<Instant> failures =
        new ArrayDeque<>(List.of(NOW.minus(Duration.ofMinutes(20)), NOW.minus(Duration.ofMinutes(5)), NOW));
    assertThat(BACKOFF.nextAttempt(NOW, 3, failures, Optional.empty()))
        .isEqualTo(NOW.minus(Duration.ofMinutes(20)).plus(Duration.ofHours(1)));

    Deque<Instant> oneOld =
        new ArrayDeque<>(List.of(NOW.minus(Duration.ofMinutes(90)), NOW.minus(Duration.ofMinutes(5)), NOW));
    assertThat(BACKOFF.nextAttempt(NOW, 3, oneOld, Optional.empty())).isEqualTo(NOW.plus(Duration.ofMinutes(4)));
  }

  @Test
  void aSimulatedDayOfFailuresNeverExceedsTheBudget() {
    Deque<Instant> failures = new ArrayDeque<>();
    Instant t = NOW;
    for (int n = 1; n <= 40; n++) {
      failures.add(t);
      t = BACKOFF.nextAttempt(t, n, failures, Optional.empty());
    }
    List<Instant> all = List.copyOf(failures);
    for (Instant start : all) {
      long inHour = all.stream().filter(x -> !x.isBefore(start) && x.isBefore(start.plus(Duration.ofHours(1)))).count();
      assertThat(inHour).isLessThanOrEqualTo(3);
    }
  }

  @Test
  void nonsenseSettingsAreRefusedWithTheValues() {
    assertThatThrownBy(() -> new RetryBackoff(Duration.ZERO, Duration.ofHours(1), 3))
        .hasMessageContaining("base=PT0S")
        .hasMessageContaining("expected: base > 0");
  }
}
