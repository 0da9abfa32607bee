package dev.gatehouse.certs;

import java.time.Instant;
import java.util.Optional;

/**
 * A CA's suggested renewal window for one certificate, from ACME Renewal Information (RFC 9773 §4.2).
 *
 * @param start the earliest moment the CA suggests renewing
 * @param end the latest; past it the client should renew at once
 * @param retryAfter the response's {@code Retry-After}: when to ask the CA again (RFC 9773 §4.3)
 */
public record RenewalWindow(Instant start, Instant end, Optional<Instant> retryAfter) {}
