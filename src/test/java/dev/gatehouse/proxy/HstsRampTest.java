package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.config.HstsPolicy;
import dev.gatehouse.testing.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HstsRampTest {

  private final HstsRampState state = HstsRampState.inMemory();

  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

  /** A clock two days after a ramp on {@link #state} saw app.test healthy. */
  private MutableClock twoDaysAfterAHealthyStart() {
    MutableClock clock = new MutableClock(START);
    new HstsRamp(state, clock).observe(Map.of("app.test", true));
    clock.advance(Duration.ofDays(2));
    return clock;
  }

  @Test
  void rampClimbsThroughEveryStageWhileHttpsKeepsWorking() {
    MutableClock clock = new MutableClock(START);
    HstsRamp ramp = new HstsRamp(state, clock);

    assertThat(ramp.maxAge("app.test")).isEqualTo(300);
    ramp.observe(Map.of("app.test", true));
    assertThat(ramp.maxAge("app.test")).isEqualTo(300);
    clock.advance(Duration.ofDays(1));
    assertThat(ramp.maxAge("app.test")).isEqualTo(86_400);
    clock.advance(Duration.ofDays(1));
    assertThat(ramp.maxAge("app.test")).isEqualTo(604_800);
    clock.advance(Duration.ofDays(7));
    assertThat(ramp.maxAge("app.test")).isEqualTo(2_592_000);
    clock.advance(Duration.ofDays(29));
    assertThat(ramp.maxAge("app.test")).isEqualTo(2_592_000);
    clock.advance(Duration.ofDays(1));
    assertThat(ramp.maxAge("app.test")).isEqualTo(31_536_000);
  }

  @Test
  void brokenHttpsDropsTheHostBackToTheStart() {
    MutableClock clock = new MutableClock(START);
    HstsRamp ramp = new HstsRamp(state, clock);
    ramp.observe(Map.of("app.test", true, "www.app.test", true));
    clock.advance(Duration.ofDays(3));

    ramp.observe(Map.of("app.test", false, "www.app.test", true));

    assertThat(ramp.maxAge("app.test")).isEqualTo(300);
    assertThat(ramp.maxAge("www.app.test")).isEqualTo(604_800);
    ramp.observe(Map.of("app.test", true, "www.app.test", true));
    clock.advance(Duration.ofHours(23));
    assertThat(ramp.maxAge("app.test")).isEqualTo(300);
  }

  @Test
  void stageSurvivesARestartThroughTheSavedState() throws Exception {
    MutableClock clock = twoDaysAfterAHealthyStart();

    HstsRamp restarted = new HstsRamp(state, clock);

    assertThat(restarted.maxAge("app.test")).isEqualTo(604_800);
    assertThat(new ObjectMapper().readTree(state.load().orElseThrow()).get("app.test").asText())
        .isEqualTo("2025-01-01T00:00:00Z");
  }

  @Test
  void twoServersSharingOneStateSendTheSameStageAndRestartTheRampTogether() {
    MutableClock clock = new MutableClock(START);
    HstsRamp first = new HstsRamp(state, clock);
    first.observe(Map.of("app.test", true));
    clock.advance(Duration.ofDays(2));
    HstsRamp joining = new HstsRamp(state, clock);
    joining.observe(Map.of("app.test", true));
    assertThat(joining.maxAge("app.test")).isEqualTo(604_800);

    clock.advance(Duration.ofHours(1));
    first.observe(Map.of("app.test", false));
    joining.observe(Map.of("app.test", true));
    first.observe(Map.of("app.test", true));

    assertThat(joining.maxAge("app.test")).isEqualTo(300);
    assertThat(first.maxAge("app.test")).isEqualTo(300);
    clock.advance(Duration.ofDays(1));
    assertThat(first.maxAge("app.test")).isEqualTo(86_400);
    assertThat(joining.maxAge("app.test")).isEqualTo(86_400);
  }

  @Test
  void aServerThatCannotReadTheStateSendsTheFirstStageAndDoesNotSaveOverTheSitesStage() throws Exception {
    MutableClock clock = twoDaysAfterAHealthyStart();
    AtomicBoolean readable = new AtomicBoolean(false);
    HstsRampState outage = new HstsRampState() {
      @Override
      public Optional<byte[]> load() throws IOException {
        if (!readable.get()) {
          throw new IOException("the store is unreachable");
        }
        return state.load();
      }

      @Override
      public void save(byte[] saved) throws IOException {
        state.save(saved);
      }
    };

    HstsRamp started = new HstsRamp(outage, clock);
    started.observe(Map.of("app.test", true));

    assertThat(started.maxAge("app.test")).isEqualTo(300);
    assertThat(new HstsRamp(state, clock).maxAge("app.test")).isEqualTo(604_800);
    readable.set(true);
    started.observe(Map.of("app.test", true));
    assertThat(started.maxAge("app.test")).isEqualTo(604_800);
  }

  @Test
  void savedStateWithAValueThatIsNotAnInstantRestartsTheRamp() throws Exception {
    state.save("{\"other.test\": \"2025-01-01T00:00:00Z\", \"app.test\": 1}".getBytes(UTF_8));

    assertThat(new HstsRamp(state, new MutableClock(START.plus(Duration.ofDays(40)))).maxAge("other.test"))
        .isEqualTo(300);
  }

  @Test
  void corruptSavedStateRestartsTheRamp() throws Exception {
    state.save("{\"app.test\": ".getBytes(UTF_8));

    assertThat(new HstsRamp(state, new MutableClock(START)).maxAge("app.test")).isEqualTo(300);
  }

  @Test
  void headerValueFollowsThePolicy() {
    MutableClock clock = new MutableClock(START);
    HstsRamp ramp = new HstsRamp(state, clock);
    ramp.observe(Map.of("app.test", true));

    assertThat(Hsts.value(new HstsPolicy(HstsPolicy.Mode.OFF, 0, false, false), ramp, "app.test")).isEmpty();
    assertThat(Hsts.value(new HstsPolicy(HstsPolicy.Mode.FIXED, 600, false, false), ramp, "app.test")).contains("max-age=600");
    HstsPolicy preload = new HstsPolicy(HstsPolicy.Mode.RAMP, 0, true, true);
    assertThat(Hsts.value(preload, ramp, "app.test")).contains("max-age=300; includeSubDomains");
    clock.advance(Duration.ofDays(40));
    assertThat(Hsts.value(preload, ramp, "app.test")).contains("max-age=31536000; includeSubDomains; preload");
  }
}
