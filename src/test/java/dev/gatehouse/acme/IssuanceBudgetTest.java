package dev.gatehouse.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.certs.IssuanceException;
import dev.gatehouse.store.FileStorage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IssuanceBudgetTest {

  private static final String KEY = "accounts/ca/default/issuance-budget.json";

  @TempDir Path dir;
  private FileStorage storage;
  private Instant now = Instant.parse("2025-03-01T12:00:00Z");

  @BeforeEach
  void storage() throws Exception {
    storage = new FileStorage(dir);
  }

  private IssuanceBudget budget() {
    Clock clock = new Clock() {
      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now;
      }
    };
    return new IssuanceBudget(storage, KEY, clock, IssuanceBudget.Limits.DEFAULT);
  }

  @Test
  void threeFailedValidationsOfANameWithinAnHourStopItUntilTheFirstIsAnHourOld() throws Exception {
    IssuanceBudget budget = budget();
    Instant first = now;
    for (int i = 0; i < 3; i++) {
      budget.checkAllowed(List.of("a.example.com", "b.example.com"));
      budget.recordFailedValidation("a.example.com");
      now = now.plus(Duration.ofMinutes(10));
    }
    assertThatThrownBy(() -> budget.checkAllowed(List.of("b.example.com", "a.example.com")))
        .isInstanceOfSatisfying(IssuanceException.class, e -> {
          assertThat(e.retryAfter()).contains(first.plus(Duration.ofHours(1)));
          assertThat(e.getMessage()).isEqualTo("a.example.com: 3 failed validations in the last hour (Gatehouse"
              + " stops there, below Let's Encrypt's limit of 5) — likely fix: correct the cause logged above;"
              + " the next try is after 2025-03-01T13:00:00Z");
        });
    assertThatCode(() -> budget.checkAllowed(List.of("b.example.com"))).doesNotThrowAnyException();
    now = first.plus(Duration.ofHours(1)).plusSeconds(1);
    assertThatCode(() -> budget.checkAllowed(List.of("a.example.com"))).doesNotThrowAnyException();
  }

  @Test
  void threeCertificatesForTheSameNamesInAWeekStopAFourthWhateverTheOrderAndCase() throws Exception {
    IssuanceBudget budget = budget();
    budget.recordCertificate(List.of("www.example.com", "example.com"));
    now = now.plus(Duration.ofDays(2));
    budget.recordCertificate(List.of("example.com", "www.example.com"));
    now = now.plus(Duration.ofDays(2));
    budget.recordCertificate(List.of("Example.com", "www.example.com"));
    assertThatThrownBy(() -> budget.checkAllowed(List.of("example.com", "www.example.com")))
        .isInstanceOfSatisfying(IssuanceException.class, e -> assertThat(e.retryAfter())
            .contains(Instant.parse("2025-03-08T12:00:00Z")))
        .hasMessageStartingWith("example.com,www.example.com: 3 certificates for these names in 7 days");
    assertThatCode(() -> budget.checkAllowed(List.of("example.com"))).doesNotThrowAnyException();
  }

  @Test
  void theBudgetOutlivesTheProcessAndForgetsWhatIsOutsideItsWindows() throws Exception {
    budget().recordFailedValidation("old.example.com");
    now = now.plus(Duration.ofDays(8));
    budget().recordCertificate(List.of("new.example.com"));
    String stored = new String(storage.load(KEY).orElseThrow(), StandardCharsets.UTF_8);
    assertThat(stored).contains("new.example.com").doesNotContain("old.example.com");
  }

  @Test
  void anUnreadableBudgetStartsAfreshInsteadOfBlockingForever() throws Exception {
    storage.store(KEY, "{not json".getBytes(StandardCharsets.UTF_8), false);
    assertThatCode(() -> budget().checkAllowed(List.of("example.com"))).doesNotThrowAnyException();
    budget().recordFailedValidation("example.com");
    assertThat(new String(storage.load(KEY).orElseThrow(), StandardCharsets.UTF_8)).contains("example.com");
  }
}
