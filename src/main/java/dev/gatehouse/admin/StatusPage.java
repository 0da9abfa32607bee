package dev.gatehouse.admin;

import dev.gatehouse.certs.CertificateStatus;
import dev.gatehouse.proxy.HstsStage;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * {@code /status}: one HTML page, no JavaScript, no external resources, every shown value escaped (names,
 * errors and log lines can hold anything a CA or a client sent).
 */
final class StatusPage {
  private StatusPage() {}

  /** How a failure line of the issuers separates the problem from its fix. */
  static final String FIX_SEPARATOR = " — likely fix: ";

  private static final String STYLE =
      "body{font:15px/1.4 system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}"
          + "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#f3f3f3}"
          + ".bad{color:#a00;font-weight:bold}.ok{color:#060}.fix{color:#444;font-style:italic}code{font-size:13px}";

  static String render(StatusReport report) {
    StringBuilder h = new StringBuilder(4096);
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Gatehouse status</title>")
        .append("<meta name=\"viewport\" content=\"width=device-width\"><style>").append(STYLE).append("</style></head><body>\n")
        .append("<h1>Gatehouse status</h1>\n<p>")
        .append(report.ready() ? "<span class=\"ok\">Ready</span>" : "<span class=\"bad\">Not ready</span>")
        .append(report.needsAttention() ? " — <span class=\"bad\">a certificate needs attention</span>" : "")
        .append(" · generated ").append(time(Optional.of(report.now()))).append(" · <a href=\"/status.json\">JSON</a>")
        .append(" · <a href=\"/metrics\">metrics</a></p>\n");
    certificates(h, report);
    hsts(h, report);
    upstreams(h, report);
    errors(h, report);
    return h.append("</body></html>\n").toString();
  }

  private static void certificates(StringBuilder h, StatusReport report) {
    h.append("<h2>Certificates</h2>\n<table id=\"certificates\"><tr><th>Names</th><th>Issuer</th><th>Expires</th>")
        .append("<th>Days left</th><th>Next renewal</th><th>Last error</th></tr>\n");
    for (CertificateHealth health : report.certificates()) {
      CertificateStatus c = health.status();
      h.append("<tr class=\"certificate\"><td>").append(esc(String.join(", ", c.names()))).append("</td><td>")
          .append(esc(c.issuer()))
          .append(c.current().map(k -> "<br><small>" + esc(k.leaf().getIssuerX500Principal().getName()) + "</small>").orElse(""))
          .append("</td><td>").append(time(c.current().map(k -> k.notAfter()))).append("</td><td")
          .append(health.needsAttention() ? " class=\"bad\">" : ">")
          .append(health.daysLeft().map(String::valueOf).orElse("—"));
      for (String why : health.attention()) {
        h.append("<br>").append(esc(why));
      }
      h.append("</td><td>").append(time(c.schedule().map(s -> s.renewAt())))
          .append(c.schedule().map(s -> "<br><small>" + esc(s.reason()) + "</small>").orElse(""))
          .append("</td><td>");
      if (c.lastError().isPresent()) {
        String error = c.lastError().get();
        int fix = error.indexOf(FIX_SEPARATOR);
        h.append("<span class=\"bad\">").append(esc(fix < 0 ? error : error.substring(0, fix))).append("</span>");
        if (fix >= 0) {
          h.append("<br><span class=\"fix\">Fix: ").append(esc(error.substring(fix + FIX_SEPARATOR.length())))
              .append("</span>");
        }
        h.append(c.nextAttempt().map(t -> "<br><small>next attempt " + time(Optional.of(t)) + "</small>").orElse(""));
      } else {
        h.append("none");
      }
      h.append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void hsts(StringBuilder h, StatusReport report) {
    h.append("<h2>HSTS</h2>\n<table id=\"hsts\"><tr><th>Host</th><th>max-age now</th><th>Rises at</th></tr>\n");
    for (HstsStage s : report.hsts()) {
      h.append("<tr><td>").append(esc(s.host())).append("</td><td>")
          .append(s.maxAgeSeconds() < 0 ? "off" : s.maxAgeSeconds() + " s").append("</td><td>")
          .append(time(s.risesAt())).append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void upstreams(StringBuilder h, StatusReport report) {
    h.append("<h2>Upstreams</h2>\n<table id=\"upstreams\"><tr><th>Site</th><th>Upstream</th><th>Health</th></tr>\n");
    for (StatusReport.UpstreamHealth u : report.upstreams()) {
      h.append("<tr><td>").append(esc(u.site())).append("</td><td><code>")
          .append(esc(u.upstream().orElse("built-in page"))).append("</code></td><td>")
          .append(u.healthy()
              ? "<span class=\"ok\">answers</span>"
              : "<span class=\"bad\">" + esc(u.problem().orElse("")) + "</span>")
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  private static void errors(StringBuilder h, StatusReport report) {
    h.append("<h2>Recent errors</h2>\n");
    if (report.recentErrors().isEmpty()) {
      h.append("<p>None since start.</p>\n");
      return;
    }
    h.append("<table id=\"errors\"><tr><th>When</th><th>Level</th><th>Where</th><th>Message</th></tr>\n");
    for (RecentErrors.Entry e : report.recentErrors()) {
      h.append("<tr><td>").append(time(Optional.of(e.at()))).append("</td><td>").append(esc(e.level()))
          .append("</td><td>").append(esc(e.logger())).append("</td><td>").append(esc(e.message()))
          .append("</td></tr>\n");
    }
    h.append("</table>\n");
  }

  /** To the second: sub-second digits are noise on a status page. */
  private static String time(Optional<Instant> at) {
    return at.map(t -> esc(t.truncatedTo(ChronoUnit.SECONDS).toString())).orElse("—");
  }

  /** HTML-escapes text for element content and quoted attribute values. */
  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
