package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;

/** {@code /status.json} as {@code gatehouse status} prints it: one line per certificate, host and upstream. */
final class StatusText {
  private StatusText() {}

  static void print(JsonNode status, PrintWriter out) {
    out.println((status.path("ready").asBoolean() ? "ready" : "NOT READY") + " (as of "
        + text(status, "generated_at") + ")");
    out.println("certificates:");
    for (JsonNode c : status.path("certificates")) {
      StringBuilder line = new StringBuilder("  ").append(names(c)).append(" (").append(text(c, "issuer")).append("): ");
      if (c.path("not_after").isNull()) {
        line.append("no certificate yet");
      } else {
        line.append("expires ").append(text(c, "not_after")).append(", ").append(c.path("days_left").asLong())
            .append(" days left");
      }
      if (!c.path("next_renewal").isNull()) {
        line.append("; renews ").append(text(c, "next_renewal")).append(" (").append(text(c, "renewal_reason"))
            .append(")");
      }
      out.println(line);
      if (!c.path("last_error").isNull()) {
        out.println("    last error: " + text(c, "last_error"));
        if (!c.path("next_attempt").isNull()) {
          out.println("    next attempt: " + text(c, "next_attempt"));
        }
      }
      for (JsonNode why : c.path("attention")) {
        out.println("    NEEDS ATTENTION: " + why.asText());
      }
    }
    out.println("hsts:");
    for (JsonNode h : status.path("hsts")) {
      long maxAge = h.path("max_age_seconds").asLong();
      out.println("  " + text(h, "host") + ": " + (maxAge < 0 ? "off" : "max-age " + maxAge + " s")
          + (h.path("rises_at").isNull() ? "" : ", rises at " + text(h, "rises_at")));
    }
    out.println("upstreams:");
    for (JsonNode u : status.path("upstreams")) {
      out.println("  " + text(u, "site") + ": "
          + (u.path("upstream").isNull() ? "built-in page" : text(u, "upstream")) + " "
          + (u.path("healthy").asBoolean() ? "answers" : "DOWN: " + text(u, "problem")));
    }
    JsonNode errors = status.path("recent_errors");
    if (errors.size() > 0) {
      out.println("recent errors:");
      for (JsonNode e : errors) {
        out.println("  " + text(e, "at") + " " + text(e, "level") + " " + text(e, "message"));
      }
    }
  }

  private static String names(JsonNode certificate) {
    StringBuilder names = new StringBuilder();
    for (JsonNode n : certificate.path("names")) {
      names.append(names.length() == 0 ? "" : ", ").append(n.asText());
    }
    return names.toString();
  }

  private static String text(JsonNode node, String field) {
    return node.path(field).asText("");
  }
}
