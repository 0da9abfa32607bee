package dev.gatehouse.proxy;

import java.time.Instant;
import java.util.Optional;

/**
 * The Strict-Transport-Security max-age a host is sent now, for the admin listener.
 *
 * @param host a configured name
 * @param maxAgeSeconds the max-age sent; -1 for {@code --hsts off}
 * @param risesAt when the ramp moves this host to its next stage; empty at the last stage or without a ramp
 */
public record HstsStage(String host, long maxAgeSeconds, Optional<Instant> risesAt) {}
