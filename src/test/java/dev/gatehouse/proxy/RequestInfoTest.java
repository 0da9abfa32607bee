package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RequestInfoTest {

  @Test
  void accessLogLineIsCommonLogFormatWithQuotesEscaped() {
    RequestInfo info =
        new RequestInfo(
            new InetSocketAddress("203.0.113.9", 5000), 443, "GET", "/x?q=\"a\"\\b", "HTTP/1.1",
            Optional.of("app.test"), Optional.empty(), System.nanoTime(),
            ZonedDateTime.of(2025, 10, 10, 13, 55, 36, 0, ZoneOffset.UTC).toInstant().toEpochMilli());

    assertThat(info.accessLogLine(200, 2326))
        .matches("203\\.0\\.113\\.9 - - \\[10/Oct/2025:13:55:36 \\+0000] \"GET /x\\?q=\\\\\"a\\\\\"\\\\\\\\b HTTP/1\\.1\" 200 2326 \"app\\.test\" \\d+ms");
  }
}
