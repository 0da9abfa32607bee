package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class LogLineFormatTest {

  private static String line(ZoneId zone, Level level, String logger, String message) {
    LogRecord record = new LogRecord(level, message);
    record.setInstant(Instant.parse("2026-12-08T04:21:11.203Z"));
    record.setLoggerName(logger);
    return new LogLineFormat(zone).format(record);
  }

  @Test
  void oneLineWithZonedTimeOperatorLevelAndArea() {
    assertThat(line(ZoneId.of("UTC"), Level.SEVERE, "dev.gatehouse.certs.CertificateManager", "renewal failed"))
        .isEqualTo("2026-12-08T04:21:11.203+00:00 ERROR certs: renewal failed\n");
    assertThat(line(ZoneId.of("Europe/Berlin"), Level.WARNING, "dev.gatehouse.proxy.UpstreamOutageLog", "down"))
        .isEqualTo("2026-12-08T05:21:11.203+01:00 WARN  proxy: down\n");
  }

  @Test
  void librariesAreNamedByTheirFirstTwoPackageSegments() {
    assertThat(line(ZoneId.of("UTC"), Level.FINE, "io.netty.handler.ssl.SslHandler", "x"))
        .contains(" DEBUG io.netty: x");
    assertThat(line(ZoneId.of("UTC"), Level.INFO, "dev.gatehouse.Main", "x")).contains(" INFO  gatehouse: x");
  }

  @Test
  void aBadLevelNamesTheFlagAndTheChoices() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogSetup.parse("--log-level", "loud"))
        .hasMessage("--log-level: 'loud' is not valid (expected: error, warn, info or debug)");
  }
}
