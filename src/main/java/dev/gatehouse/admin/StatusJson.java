package dev.gatehouse.admin;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.gatehouse.certs.CertificateStatus;
import dev.gatehouse.proxy.HstsStage;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * {@code /status.json}: the status page's content for programs, and what {@code gatehouse status} prints.
 * Field names are snake_case; times are RFC 3339 in UTC, to the second; an absent value is {@code null}. A public
 * contract: add fields, do not rename them.
 */
final class StatusJson {
  private StatusJson() {}

  private static final JsonFactory JSON = new JsonFactory();

  static void write(StatusReport report, OutputStream out) throws IOException {
    try (JsonGenerator g = JSON.createGenerator(out).useDefaultPrettyPrinter()) {
      g.writeStartObject();
      time(g, "generated_at", Optional.of(report.now()));
      g.writeBooleanField("ready", report.ready());
      g.writeBooleanField("needs_attention", report.needsAttention());
      g.writeArrayFieldStart("certificates");
      for (CertificateHealth c : report.certificates()) {
        certificate(g, c);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("hsts");
      for (HstsStage h : report.hsts()) {
        g.writeStartObject();
        g.writeStringField("host", h.host());
        g.writeNumberField("max_age_seconds", h.maxAgeSeconds());
        time(g, "rises_at", h.risesAt());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("upstreams");
      for (StatusReport.UpstreamHealth u : report.upstreams()) {
        g.writeStartObject();
        g.writeStringField("site", u.site());
        g.writeStringField("upstream", u.upstream().orElse(null));
        g.writeBooleanField("healthy", u.healthy());
        g.writeStringField("problem", u.problem().orElse(null));
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("recent_errors");
      for (RecentErrors.Entry e : report.recentErrors()) {
        g.writeStartObject();
        time(g, "at", Optional.of(e.at()));
        g.writeStringField("level", e.level());
        g.writeStringField("logger", e.logger());
        g.writeStringField("message", e.message());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private static void certificate(JsonGenerator g, CertificateHealth health) throws IOException {
    CertificateStatus c = health.status();
    g.writeStartObject();
    g.writeStringField("name", c.name());
    g.writeArrayFieldStart("names");
    for (String n : c.names()) {
      g.writeString(n);
    }
    g.writeEndArray();
    g.writeStringField("issuer", c.issuer());
    g.writeStringField("issuer_dn", c.current().map(k -> k.leaf().getIssuerX500Principal().getName()).orElse(null));
    time(g, "not_before", c.current().map(k -> k.notBefore()));
    time(g, "not_after", c.current().map(k -> k.notAfter()));
    if (health.daysLeft().isPresent()) {
      g.writeNumberField("days_left", health.daysLeft().get());
    } else {
      g.writeNullField("days_left");
    }
    time(g, "next_renewal", c.schedule().map(s -> s.renewAt()));
    g.writeStringField("renewal_reason", c.schedule().map(s -> s.reason()).orElse(null));
    g.writeStringField("last_error", c.lastError().orElse(null));
    time(g, "next_attempt", c.nextAttempt());
    time(g, "last_success", c.lastSuccess());
    time(g, "last_failure", c.lastFailure());
    g.writeBooleanField("needs_attention", health.needsAttention());
    g.writeArrayFieldStart("attention");
    for (String why : health.attention()) {
      g.writeString(why);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void time(JsonGenerator g, String field, Optional<Instant> at) throws IOException {
    g.writeStringField(field, at.map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString()).orElse(null));
  }
}
