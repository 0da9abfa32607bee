package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.config.HstsPolicy;
import dev.gatehouse.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HstsRampTest {

  @TempDir Path state;

  private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");


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
  void stageSurvivesARestartThroughTheStateFile() throws Exception {
    MutableClock clock = new MutableClock(START);
    new HstsRamp(state, clock).observe(Map.of("app.test", true));
    clock.advance(Duration.ofDays(2));

    HstsRamp restarted = new HstsRamp(state, clock);

    assertThat(restarted.maxAge("app.test")).isEqualTo(604_800);
    Path file = state.resolve("state/hsts.json");
    assertThat(new ObjectMapper().readTree(file.toFile()).get("app.test").asText()).isEqualTo("2025-01-01T00:00:00Z");
    assertThat(Files.list(file.getParent())).containsExactly(file);
  }

  @Test
  void stateFileWithAValueThatIsNotAnInstantRestartsTheRamp() throws Exception {
    Files.createDirectories(state.resolve("state"));
    Files.writeString(state.resolve("state/hsts.json"), "{\"other.test\": \"2025-01-01T00:00:00Z\", \"app.test\": 1}");

    assertThat(new HstsRamp(state, new MutableClock(START.plus(Duration.ofDays(40)))).maxAge("other.test"))
        .isEqualTo(300);
  }

  @Test
  void corruptStateFileRestartsTheRamp() throws Exception {
    Files.createDirectories(state.resolve("state"));
    Files.writeString(state.resolve("state/hsts.json"), "{\"app.test\": ");

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
