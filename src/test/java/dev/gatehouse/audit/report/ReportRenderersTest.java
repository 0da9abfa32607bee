package dev.gatehouse.audit.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.audit.AuditReport;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Finding;
import dev.gatehouse.audit.Severity;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ReportRenderersTest {
  private static final URI TARGET = URI.create("https://shop.example.test/");

  private static Finding finding(String check, Severity severity, String message, String fix) {
    return new Finding(check, severity, TARGET, message, "301 Location: http://x/<&>", fix);
  }

  private static CheckResult result(String id, Finding... findings) {
    return new CheckResult(id, id + " description", List.of(findings), Optional.empty(), Duration.ofMillis(12));
  }

  /** One check of each outcome: error, warning, info, ok, skipped. */
  private static final AuditReport REPORT = new AuditReport(TARGET, Instant.parse("2026-01-02T03:04:05Z"),
      Duration.ofMillis(2310), List.of(
          result("redirect-loop", finding("redirect-loop", Severity.ERROR, "Redirect loop.",
              "nginx: proxy_set_header X-Forwarded-Proto $scheme;")),
          result("http2", finding("http2", Severity.WARNING, "HTTP/2 is not offered.", "listen 443 ssl http2;")),
          result("cookies", finding("cookies", Severity.INFO, "No cookie was set.", "")),
          result("hsts", finding("hsts", Severity.OK, "HSTS is on.", "")),
          new CheckResult("upstream-exposure", "ports", List.of(), Optional.of("no --upstream-ports given"),
              Duration.ZERO)));

  @Test
  void jsonHasTheDocumentedShape() throws Exception {
    JsonNode json = new ObjectMapper().readTree(new JsonReportRenderer().render(REPORT, Severity.WARNING));

    assertThat(json.get("schema").asText()).isEqualTo(JsonReportRenderer.SCHEMA);
    assertThat(json.get("target").asText()).isEqualTo(TARGET.toString());
    assertThat(json.get("startedAt").asText()).isEqualTo("2026-01-02T03:04:05Z");
    assertThat(json.get("durationMillis").asLong()).isEqualTo(2310);
    assertThat(json.get("failOn").asText()).isEqualTo("warning");
    assertThat(json.get("failed").asBoolean()).isTrue();
    assertThat(json.get("summary").toString())
        .isEqualTo("{\"ok\":1,\"info\":1,\"warning\":1,\"error\":1,\"skipped\":1}");
    JsonNode first = json.get("checks").get(0);
    assertThat(first.get("id").asText()).isEqualTo("redirect-loop");
    assertThat(first.get("status").asText()).isEqualTo("error");
    assertThat(first.get("findings").get(0).get("fix").asText()).contains("$scheme");
    assertThat(first.get("findings").get(0).get("observed").asText()).isEqualTo("301 Location: http://x/<&>");
    JsonNode skipped = json.get("checks").get(4);
    assertThat(skipped.get("status").asText()).isEqualTo("skipped");
    assertThat(skipped.get("skippedBecause").asText()).isEqualTo("no --upstream-ports given");
  }

  @Test
  void junitHasOneTestcasePerCheckFailingAtTheThreshold() throws Exception {
    Document xml = parse(new JunitReportRenderer().render(REPORT, Severity.ERROR));

    Element suite = (Element) xml.getElementsByTagName("testsuite").item(0);
    assertThat(suite.getAttribute("tests")).isEqualTo("5");
    assertThat(suite.getAttribute("failures")).isEqualTo("1");
    assertThat(suite.getAttribute("skipped")).isEqualTo("1");
    NodeList cases = xml.getElementsByTagName("testcase");
    assertThat(cases.getLength()).isEqualTo(5);
    Element loop = (Element) cases.item(0);
    assertThat(loop.getAttribute("name")).startsWith("redirect-loop: ");
    assertThat(loop.getElementsByTagName("failure").item(0).getTextContent())
        .contains("fix: nginx: proxy_set_header X-Forwarded-Proto $scheme;").contains("<&>");
    assertThat(((Element) cases.item(1)).getElementsByTagName("failure").getLength()).isZero();
    assertThat(((Element) cases.item(4)).getElementsByTagName("skipped").getLength()).isEqualTo(1);

    Document strict = parse(new JunitReportRenderer().render(REPORT, Severity.WARNING));
    assertThat(((Element) strict.getElementsByTagName("testsuite").item(0)).getAttribute("failures"))
        .isEqualTo("2");
  }

  @Test
  void textGroupsBySeverityWorstFirstAndColoursOnlyWhenAsked() {
    String plain = new TextReportRenderer(false, 80).render(REPORT, Severity.ERROR);
    String coloured = new TextReportRenderer(true, 80).render(REPORT, Severity.ERROR);

    assertThat(plain).doesNotContain("\u001b[");
    assertThat(coloured).contains("\u001b[1;31mERROR (1)\u001b[0m");
    assertThat(plain.indexOf("ERROR (1)")).isLessThan(plain.indexOf("WARNING (1)"));
    assertThat(plain.indexOf("WARNING (1)")).isLessThan(plain.indexOf("INFO (1)"));
    assertThat(plain).contains("OK hsts\n", "SKIPPED upstream-exposure: no --upstream-ports given",
        "5 checks in 2.3 s: 1 error, 1 warning, 1 info, 1 ok, 1 skipped", "FAILED: findings at or above error");
    assertThat(plain.lines()).allMatch(line -> line.length() <= 80);
  }

  @Test
  void textSaysPassedWhenNothingReachesTheThreshold() {
    AuditReport onlyWarnings = new AuditReport(TARGET, Instant.EPOCH, Duration.ZERO, List.of(REPORT.results().get(1)));

    assertThat(new TextReportRenderer(false, 80).render(onlyWarnings, Severity.ERROR))
        .contains("PASSED: nothing at or above error");
    assertThat(onlyWarnings.fails(Severity.WARNING)).isTrue();
    assertThat(onlyWarnings.fails(Severity.ERROR)).isFalse();
  }

  private static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }
}
