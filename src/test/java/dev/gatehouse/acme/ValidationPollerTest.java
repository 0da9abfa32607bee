package dev.gatehouse.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.PollableResource;
import org.shredzone.acme4j.Status;

class ValidationPollerTest {

  /** Pending until fetched {@code fetchesUntilValid} times; may ask for a Retry-After on its first fetch. */
  private static final class FakeResource implements PollableResource {
    final List<Instant> fetches = new ArrayList<>();
    private final int fetchesUntilValid;
    private final Duration retryAfter;

    FakeResource(int fetchesUntilValid, Duration retryAfter) {
      this.fetchesUntilValid = fetchesUntilValid;
      this.retryAfter = retryAfter;
    }

    @Override
    public Status getStatus() {
      return fetches.size() >= fetchesUntilValid ? Status.VALID : Status.PENDING;
    }

    @Override
    public Optional<Instant> fetch() {
      Instant now = Instant.now();
      fetches.add(now);
      return fetches.size() == 1 && retryAfter != null ? Optional.of(now.plus(retryAfter)) : Optional.empty();
    }
  }

  private final ValidationPoller poller = new ValidationPoller(Clock.systemUTC());

  @Test
  void pollsEveryPendingResourceUntilEachIsDoneAndNoFurther() throws Exception {
    FakeResource quick = new FakeResource(1, null);
    FakeResource slow = new FakeResource(4, null);
    poller.awaitAll(List.of(quick, slow), Set.of(Status.VALID, Status.INVALID), Duration.ofSeconds(30));
    assertThat(quick.fetches).hasSize(1);
    assertThat(slow.fetches).hasSize(4);
  }

  @Test
  void neverPollsAResourceBeforeTheRetryAfterItAskedFor() throws Exception {
    FakeResource patient = new FakeResource(2, Duration.ofMillis(700));
    FakeResource other = new FakeResource(3, null);
    poller.awaitAll(List.of(patient, other), Set.of(Status.VALID), Duration.ofSeconds(30));
    assertThat(patient.fetches.get(1)).isAfterOrEqualTo(patient.fetches.get(0).plusMillis(700));
    assertThat(other.fetches.get(1)).isBefore(patient.fetches.get(1));
  }

  @Test
  void resourcesAlreadyDoneAreNotFetched() throws Exception {
    FakeResource done = new FakeResource(0, null);
    poller.awaitAll(List.of(done), Set.of(Status.VALID), Duration.ofSeconds(30));
    assertThat(done.fetches).isEmpty();
  }

  @Test
  void givesUpAtTheTimeoutSayingHowManyAreLeft() {
    FakeResource never = new FakeResource(Integer.MAX_VALUE, null);
    FakeResource done = new FakeResource(0, null);
    assertThatThrownBy(() -> poller.awaitAll(List.of(never, done), Set.of(Status.VALID), Duration.ofMillis(400)))
        .isInstanceOf(TimeoutException.class)
        .hasMessage("1 of 2 still not done after 0 s");
  }
}
