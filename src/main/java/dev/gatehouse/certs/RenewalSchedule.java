package dev.gatehouse.certs;

import java.time.Instant;
import java.util.Optional;

/**
 * When a certificate renews and why, as {@code certs list} shows it.
 *
 * @param renewAt the moment renewal becomes due
 * @param reason {@code ARI window START to END} or {@code 1/3 of lifetime left} ({@code 1/2} when short-lived)
 * @param window the CA's window this moment was picked from, if the CA offers ARI
 */
public record RenewalSchedule(Instant renewAt, String reason, Optional<RenewalWindow> window) {}
