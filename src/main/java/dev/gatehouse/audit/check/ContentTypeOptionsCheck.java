package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.http.ProbeResponse;
import java.util.List;
import java.util.Optional;

/** {@code X-Content-Type-Options: nosniff} (Fetch §3.5) stops browsers from running uploads as scripts. */
public final class ContentTypeOptionsCheck extends ResponseHeaderCheck {
  @Override
  public String id() {
    return "x-content-type-options";
  }

  @Override
  public String description() {
    return "X-Content-Type-Options: nosniff is sent";
  }

  @Override
  CheckResult judge(ProbeResponse response, AuditContext context) {
    Optional<String> value = response.header("X-Content-Type-Options");
    if (value.map(v -> v.trim().equalsIgnoreCase("nosniff")).orElse(false)) {
      return CheckResult.of(this, List.of(finding(Severity.OK, response.uri(), "X-Content-Type-Options: nosniff "
          + "is sent.", "", "")));
    }
    return CheckResult.of(this, List.of(finding(Severity.WARNING, response.uri(),
        "X-Content-Type-Options: nosniff is missing: browsers may guess a script type for user uploads.",
        value.map(v -> "X-Content-Type-Options: " + v).orElse(response.status() + " without the header"),
        Fixes.SECURITY_MIDDLEWARE + " with SECURE_CONTENT_TYPE_NOSNIFF = True (the default). nginx: add_header "
            + "X-Content-Type-Options nosniff always;.")));
  }
}
