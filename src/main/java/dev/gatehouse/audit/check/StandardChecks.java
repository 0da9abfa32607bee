package dev.gatehouse.audit.check;

import dev.gatehouse.audit.AuditCheck;
import java.util.List;

/** Every check of {@code gatehouse audit}, in report order: transport first, then the app, then the pages. */
public final class StandardChecks {
  private StandardChecks() {}

  public static List<AuditCheck> all() {
    return List.of(
        new HttpRedirectCheck(),
        new RedirectLoopCheck(),
        new CertificateChainCheck(),
        new CertificateNameCheck(),
        new CertificateExpiryCheck(),
        new CertificateKeyCheck(),
        new TlsVersionsCheck(),
        new CipherSuitesCheck(),
        new Http2Check(),
        new HstsCheck(),
        new HstsOverHttpCheck(),
        new DjangoSeesHttpsCheck(),
        new CsrfCheck(),
        new ForwardedHeadersCheck(),
        new MixedContentCheck(),
        new CookieCheck(),
        new ContentTypeOptionsCheck(),
        new ReferrerPolicyCheck(),
        new FrameOptionsCheck(),
        new ServerHeaderCheck(),
        new UpstreamExposureCheck(),
        new AcmeChallengeCheck());
  }
}
