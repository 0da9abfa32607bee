package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AccessLogLinesTest {

  private static RequestInfo info(String referer, String userAgent) {
    return new RequestInfo(
        new InetSocketAddress("203.0.113.9", 5000), 443, "GET", "/x?q=\"a\"", "HTTP/1.1", Optional.of("app.test"),
        Optional.empty(), System.nanoTime(),
        ZonedDateTime.of(2025, 10, 10, 13, 55, 36, 0, ZoneOffset.UTC).toInstant().toEpochMilli(), referer, userAgent,
        "TLSv1.3");
  }

  @Test
  void combinedIsApacheCombinedWithRefererAndUserAgentEscaped() {
    assertThat(AccessLogLines.combined(info("https://app.test/\"", "curl/8 \u0001"), 200, 2326))
        .isEqualTo("203.0.113.9 - - [10/Oct/2025:13:55:36 +0000] \"GET /x?q=\\\"a\\\" HTTP/1.1\" 200 2326"
            + " \"https://app.test/\\\"\" \"curl/8 \\x01\"");
    assertThat(AccessLogLines.combined(info(null, null), 200, 0)).endsWith(" 200 0 \"-\" \"-\"");
  }

  @Test
  void jsonIsOneParseableObjectWhateverTheClientSent() throws Exception {
    String line = AccessLogLines.json(info("a\"b\\c\nd", null), 499, 0);
    assertThat(line).doesNotContain("\n");
    JsonNode node = new ObjectMapper().readTree(line);
    assertThat(node.path("referer").asText()).isEqualTo("a\"b\\c\nd");
    assertThat(node.path("user_agent").isNull()).isTrue();
    assertThat(node.path("status").asInt()).isEqualTo(499);
    assertThat(node.path("time").asText()).isEqualTo("2025-10-10T13:55:36Z");
    assertThat(node.path("tls").asText()).isEqualTo("TLSv1.3");
    assertThat(node.path("uri").asText()).isEqualTo("/x?q=\"a\"");
  }
}
