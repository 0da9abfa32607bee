package dev.gatehouse.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.HstsPolicy;
import org.junit.jupiter.api.Test;

class HstsStagesTest {

  @Test
  void rampStartsAtFiveMinutes() throws Exception {
    assertThat(HstsStages.headerValue(HstsPolicy.parse("--hsts", "ramp", false, false))).contains("max-age=300");
  }

  @Test
  void preloadOnlyWithAYearOrMore() throws Exception {
    assertThat(HstsStages.headerValue(HstsPolicy.parse("--hsts", "ramp", true, true)))
        .contains("max-age=300; includeSubDomains");
    assertThat(HstsStages.headerValue(HstsPolicy.parse("--hsts", "63072000", true, true)))
        .contains("max-age=63072000; includeSubDomains; preload");
  }

  @Test
  void offSendsNothing() throws Exception {
    assertThat(HstsStages.headerValue(HstsPolicy.parse("--hsts", "off", false, false))).isEmpty();
  }

  @Test
  void stagesRiseToThePreloadMinimum() {
    assertThat(HstsStages.RAMP).isSorted().endsWith(HstsPolicy.PRELOAD_MIN_SECONDS);
  }
}
