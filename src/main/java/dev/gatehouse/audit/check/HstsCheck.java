package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Finding;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.http.ProbeResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * HTTPS responses must carry a valid {@code Strict-Transport-Security} (RFC 6797), rolled out in stages
 * (hstspreload.org "Deployment Recommendations": minutes, a week, a month, then a year or more), and
 * {@code preload} only with what the preload list requires: {@code max-age} at least a year and
 * {@code includeSubDomains}.
 */
public final class HstsCheck implements AuditCheck {
  /** One year: the preload list's minimum and the last rollout stage (hstspreload.org). */
  public static final long ONE_YEAR_SECONDS = 31_536_000;
  /** One month: the stage before the final one. */
  public static final long ONE_MONTH_SECONDS = 2_592_000;
  /** One week: the stage after testing with minutes. */
  public static final long ONE_WEEK_SECONDS = 604_800;

  private static final String FIX = "nginx: add_header Strict-Transport-Security \"max-age=31536000; "
      + "includeSubDomains\" always; in the 443 server (an add_header in a location replaces the server's). "
      + "Django: SECURE_HSTS_SECONDS = 31536000 and SECURE_HSTS_INCLUDE_SUBDOMAINS = True. Caddy: header "
      + "Strict-Transport-Security \"max-age=31536000; includeSubDomains\". gatehouse serve: --hsts ramp (the "
      + "default, raises max-age in stages) or --hsts 31536000, with --hsts-include-subdomains.";

  @Override
  public String id() {
    return "hsts";
  }

  @Override
  public String description() {
    return "HTTPS responses send a valid Strict-Transport-Security; preload only with a year and subdomains";
  }

  @Override
  public CheckResult run(AuditContext context) {
    Optional<ProbeResponse> page = context.landingPage().or(() -> context.startPage().last());
    if (page.isEmpty()) {
      return CheckResult.skipped(this, "no HTTPS response to inspect: " + context.startPage().describe());
    }
    ProbeResponse response = page.get();
    List<String> values = response.headers().all("Strict-Transport-Security");
    if (values.isEmpty()) {
      return CheckResult.of(this, List.of(finding(Severity.WARNING, response.uri(),
          "No Strict-Transport-Security: a visitor's first http:// request can be intercepted every time.",
          response.status() + " without Strict-Transport-Security", FIX)));
    }
    List<Finding> findings = new ArrayList<>();
    String observed = "Strict-Transport-Security: " + String.join(" | ", values);
    if (values.size() > 1) {
      findings.add(finding(Severity.WARNING, response.uri(),
          "Strict-Transport-Security is sent " + values.size() + " times; browsers use only the first "
              + "(RFC 6797 §8.1). It is usually set both by the proxy and by Django.",
          observed, "Set it in one place: remove the add_header from nginx or set SECURE_HSTS_SECONDS = 0 in "
              + "Django."));
    }
    Optional<StrictTransportSecurity> parsed = StrictTransportSecurity.parse(values.get(0));
    if (parsed.isEmpty()) {
      findings.add(finding(Severity.ERROR, response.uri(),
          "Strict-Transport-Security is invalid and browsers ignore it (RFC 6797 §6.1: one max-age with "
              + "a number).", observed, FIX));
      return CheckResult.of(this, findings);
    }
    StrictTransportSecurity sts = parsed.get();
    if (sts.preload() && (sts.maxAgeSeconds() < ONE_YEAR_SECONDS || !sts.includeSubDomains())) {
      findings.add(finding(Severity.ERROR, response.uri(),
          "preload is set without what the preload list requires: max-age of at least " + ONE_YEAR_SECONDS
              + " and includeSubDomains (hstspreload.org).", observed,
          "Either drop preload, or send max-age=31536000; includeSubDomains; preload once every subdomain "
              + "serves HTTPS. gatehouse serve: --hsts-preload needs --hsts-include-subdomains and a year."));
    }
    if (sts.maxAgeSeconds() == 0) {
      findings.add(finding(Severity.WARNING, response.uri(),
          "max-age=0 tells browsers to forget HSTS for this host.", observed, FIX));
    } else {
      findings.add(finding(Severity.OK, response.uri(), "HSTS is on, " + stage(sts) + ".", observed, ""));
    }
    return CheckResult.of(this, findings);
  }

  private static String stage(StrictTransportSecurity sts) {
    long age = sts.maxAgeSeconds();
    String stage;
    if (age < ONE_WEEK_SECONDS) {
      stage = "testing stage (max-age " + age + " s, under a week)";
    } else if (age < ONE_MONTH_SECONDS) {
      stage = "ramp-up stage (a week or more)";
    } else if (age < ONE_YEAR_SECONDS) {
      stage = "ramp-up stage (a month or more)";
    } else {
      stage = "final stage (a year or more)";
    }
    return stage + (sts.includeSubDomains() ? ", including subdomains" : ", this host only")
        + (sts.preload() ? ", marked for preload" : "");
  }
}
