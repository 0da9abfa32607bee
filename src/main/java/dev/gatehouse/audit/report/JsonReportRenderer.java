package dev.gatehouse.audit.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gatehouse.audit.AuditReport;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Finding;
import dev.gatehouse.audit.Severity;
import java.util.Map;

/**
 * The report for machines ({@code --format json}). The format is stable: fields are only ever added, and
 * {@code schema} changes when one is removed or changes meaning.
 *
 * <pre>{@code
 * {
 *   "schema": "gatehouse-audit/1",
 *   "target": "https://example.com/",          // the audited URL
 *   "startedAt": "2026-01-01T12:00:00Z",       // ISO-8601, UTC
 *   "durationMillis": 2310,
 *   "failOn": "error",                          // --fail-on
 *   "failed": false,                            // a finding at or above failOn (exit code 1)
 *   "summary": {"ok": 18, "info": 2, "warning": 0, "error": 0, "skipped": 1},
 *   "checks": [                                 // every check, in run order
 *     {
 *       "id": "http-redirect",                  // stable check id
 *       "description": "plain HTTP redirects …",
 *       "status": "ok",                         // worst severity: ok|info|warning|error, or "skipped"
 *       "skippedBecause": null,                 // a reason when status is "skipped"
 *       "durationMillis": 35,
 *       "findings": [
 *         {
 *           "severity": "ok",                   // ok|info|warning|error
 *           "url": "http://example.com/?gatehouse-audit=redirect-probe",
 *           "message": "Plain HTTP redirects with 301 to the same URL on HTTPS.",
 *           "observed": "301 Location: https://example.com/?gatehouse-audit=redirect-probe",
 *           "fix": ""                           // the exact setting to change; "" when nothing to do
 *         }
 *       ]
 *     }
 *   ]
 * }
 * }</pre>
 */
public final class JsonReportRenderer implements ReportRenderer {
  /** Identifies this format; bumped only for incompatible changes. */
  public static final String SCHEMA = "gatehouse-audit/1";

  private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Override
  public String render(AuditReport report, Severity failOn) {
    ObjectNode root = mapper.createObjectNode();
    root.put("schema", SCHEMA);
    root.put("target", report.target().toString());
    root.put("startedAt", report.startedAt().toString());
    root.put("durationMillis", report.duration().toMillis());
    root.put("failOn", failOn.label());
    root.put("failed", report.fails(failOn));
    ObjectNode summary = root.putObject("summary");
    for (Map.Entry<Severity, Integer> count : report.counts().entrySet()) {
      summary.put(count.getKey().label(), count.getValue());
    }
    summary.put("skipped", report.results().stream().filter(r -> r.skippedBecause().isPresent()).count());
    ArrayNode checks = root.putArray("checks");
    for (CheckResult result : report.results()) {
      ObjectNode check = checks.addObject();
      check.put("id", result.checkId());
      check.put("description", result.description());
      check.put("status", result.skippedBecause().isPresent() ? "skipped" : result.worst().label());
      check.put("skippedBecause", result.skippedBecause().orElse(null));
      check.put("durationMillis", result.elapsed().toMillis());
      ArrayNode findings = check.putArray("findings");
      for (Finding finding : result.findings()) {
        ObjectNode node = findings.addObject();
        node.put("severity", finding.severity().label());
        node.put("url", finding.url().toString());
        node.put("message", finding.message());
        node.put("observed", finding.observed());
        node.put("fix", finding.fix());
      }
    }
    try {
      return mapper.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree of strings and numbers cannot fail to serialize", e);
    }
  }
}
