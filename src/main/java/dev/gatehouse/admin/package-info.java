/**
 * The admin listener ({@code --admin}): {@code /metrics} in the Prometheus text format, {@code /status}
 * (HTML) and {@code /status.json}, {@code /healthz} and {@code /readyz}. It reads the running server's state
 * through {@link dev.gatehouse.admin.ServedState} and changes nothing. It runs on its own loopback port and its
 * own thread, never on the public ports or their event loops.
 */
package dev.gatehouse.admin;
