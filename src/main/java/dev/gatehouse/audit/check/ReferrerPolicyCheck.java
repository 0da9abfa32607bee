package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditContext;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.ReferrerPolicies;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.http.ProbeResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code Referrer-Policy} (W3C Referrer Policy) must be set and must not leak full HTTPS URLs to other sites
 * or to plain HTTP. {@code no-referrer} breaks every Django form: browsers then send {@code Origin: null} and no
 * {@code Referer} with a same-origin POST, which Django's CSRF check refuses. Where a login form was found the
 * {@code csrf} check posts it as such a browser would and reports the 403; without one this check warns.
 */
public final class ReferrerPolicyCheck extends ResponseHeaderCheck {
  /** Policies that send the full URL across origins or to http:// (Referrer Policy §3.2, §3.8). */
  static final Set<String> LEAKY = Set.of("unsafe-url", "no-referrer-when-downgrade");

  /** Why no-referrer breaks Django's forms (Fetch, "append a request Origin header"; django.middleware.csrf). */
  private static final String NO_REFERRER = "Referrer-Policy no-referrer: browsers send Origin: null and no "
      + "Referer with every form POST, even to the same site, and Django's CSRF check refuses such a POST with "
      + "403 (4.0+: \"Origin checking failed - null does not match any trusted origins\"; before 4.0: "
      + "\"Referer checking failed - no Referer\").";

  private static final String FIX = "Django: SECURE_REFERRER_POLICY = \"same-origin\" (the default since 3.1). "
      + "nginx: add_header Referrer-Policy same-origin always;.";

  @Override
  public String id() {
    return "referrer-policy";
  }

  @Override
  public String description() {
    return "a Referrer-Policy is set that does not leak HTTPS URLs";
  }

  @Override
  CheckResult judge(ProbeResponse response, AuditContext context) throws IOException {
    Optional<String> policy = ReferrerPolicies.effective(response);
    String observed = "Referrer-Policy: " + String.join(", ", response.headers().all("Referrer-Policy"));
    if (policy.isEmpty()) {
      return CheckResult.of(this, List.of(finding(Severity.WARNING, response.uri(),
          "No Referrer-Policy: browsers fall back to strict-origin-when-cross-origin, and older ones send full "
              + "URLs (with their query strings) to other sites.", response.status() + " without the header", FIX)));
    }
    if (LEAKY.contains(policy.get())) {
      return CheckResult.of(this, List.of(finding(Severity.WARNING, response.uri(),
          "Referrer-Policy " + policy.get() + " sends full HTTPS URLs to other sites.", observed, FIX)));
    }
    if (policy.get().equals("no-referrer")) {
      if (context.loginPage().isPresent()) {
        return CheckResult.of(this, List.of(finding(Severity.INFO, response.uri(), NO_REFERRER
            + " The csrf check posted the login form as a browser does under this policy.", observed, "")));
      }
      return CheckResult.of(this, List.of(finding(Severity.WARNING, response.uri(), NO_REFERRER
          + " No login form was found to try it on (" + context.noLoginFormReason() + ").", observed,
          Fixes.REFERRER_POLICY_FOR_CSRF)));
    }
    return CheckResult.of(this, List.of(finding(Severity.OK, response.uri(),
        "Referrer-Policy " + policy.get() + ".", observed, "")));
  }
}
