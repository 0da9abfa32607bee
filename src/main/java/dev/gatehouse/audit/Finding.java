package dev.gatehouse.audit;

import java.net.URI;
import java.util.Objects;

/**
 * One thing a check saw, with what to do about it.
 *
 * @param checkId the {@link AuditCheck#id()} that produced it
 * @param severity how much it matters
 * @param url the URL (or {@code tcp://host:port}) the observation was made on
 * @param message one sentence saying what is right or wrong
 * @param observed what the network showed: status line, header, value; empty when nothing specific
 * @param fix the exact setting that fixes it (nginx directive, Caddyfile line, Django setting, Gatehouse flag);
 *     empty for {@link Severity#OK} and most {@link Severity#INFO} findings
 */
public record Finding(String checkId, Severity severity, URI url, String message, String observed, String fix) {
  public Finding {
    Objects.requireNonNull(checkId, "checkId");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(message, "message");
    observed = observed == null ? "" : observed;
    fix = fix == null ? "" : fix;
  }
}
