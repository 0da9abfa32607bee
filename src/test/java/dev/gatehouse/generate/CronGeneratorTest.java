package dev.gatehouse.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.config.ConfigException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CronGeneratorTest {

  @Test
  void twiceADayAtTheChosenMinuteAsRoot() throws Exception {
    GeneratedFile cron = new CronGenerator()
        .renewal(Path.of("/usr/local/bin/gatehouse"), Path.of("/var/lib/gatehouse"), "nginx -s reload", 17, 3);

    assertThat(cron.name()).isEqualTo("gatehouse-renew").doesNotContain(".");
    assertThat(cron.content()).endsWith(
        "17 3,15 * * * root /usr/local/bin/gatehouse certs renew --state-dir /var/lib/gatehouse"
            + " --deploy-hook \"nginx -s reload\"\n");
  }

  @Test
  void aHookThatWouldBreakOutOfItsQuotesIsRefused() {
    assertThatThrownBy(() -> new CronGenerator()
        .renewal(Path.of("/usr/local/bin/gatehouse"), Path.of("/var/lib/gatehouse"), "nginx\" ; rm -rf / #", 0, 0))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--deploy-hook: 'nginx\" ; rm -rf / #' is not valid");
  }
}
