package dev.gatehouse.audit.check;

import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Severity;
import dev.gatehouse.audit.http.ProbeResponse;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A {@code Referrer-Policy} (W3C Referrer Policy) must be set and must not leak full HTTPS URLs to other sites
 * or to plain HTTP. {@code no-referrer} is allowed but noted: Django's CSRF check on HTTPS needs a Referer when a
 * request has no Origin (always before Django 4.0), see the {@code csrf} check.
 */
public final class ReferrerPolicyCheck extends ResponseHeaderCheck {
  /** Policies that send the full URL across origins or to http:// (Referrer Policy §3.2, §3.8). */
  static final Set<String> LEAKY = Set.of("unsafe-url", "no-referrer-when-downgrade");

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
  CheckResult judge(ProbeResponse response) {
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
      return CheckResult.of(this, List.of(finding(Severity.INFO, response.uri(),
          "Referrer-Policy no-referrer: private, but Django's CSRF check on HTTPS rejects form posts without "
              + "a Referer when there is no Origin (always before Django 4.0); see the csrf check.",
          observed, FIX)));
    }
    return CheckResult.of(this, List.of(finding(Severity.OK, response.uri(),
        "Referrer-Policy " + policy.get() + ".", observed, "")));
  }
}
