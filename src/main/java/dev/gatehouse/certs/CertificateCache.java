package dev.gatehouse.certs;

import dev.gatehouse.config.Hostnames;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The certificates being served, by name. Lookups read an immutable map (safe from any thread, never
 * blocking, so the TLS layer may call {@link #lookup} on an event loop); {@link #put} replaces the map
 * atomically, so a handshake sees either the old or the new certificate, never a mix.
 */
public final class CertificateCache {

  private volatile Map<String, CertifiedKey> byName = Map.of();
  private final List<Consumer<CertificateCache>> listeners = new CopyOnWriteArrayList<>();

  /**
   * The certificate for an SNI name: an exact name first, then a wildcard one label up (RFC 6125 §6.4.3).
   */
  public Optional<CertifiedKey> lookup(String serverName) {
    Map<String, CertifiedKey> map = byName;
    CertifiedKey exact = map.get(serverName);
    if (exact != null) {
      return Optional.of(exact);
    }
    int dot = serverName.indexOf('.');
    return dot > 0 ? Optional.ofNullable(map.get("*" + serverName.substring(dot))) : Optional.empty();
  }

  /** Serves {@code key} for each of {@code names}, replacing what was there, then tells the listeners. */
  public void put(List<String> names, CertifiedKey key) {
    synchronized (this) {
      Map<String, CertifiedKey> next = new HashMap<>(byName);
      for (String name : names) {
        next.put(name, key);
      }
      byName = Map.copyOf(next);
    }
    listeners.forEach(l -> l.accept(this));
  }

  /** Every name currently served, with its certificate. */
  public Map<String, CertifiedKey> snapshot() {
    return byName;
  }

  /** Called after every change, on the thread that made it. Listeners must not block. */
  public void addListener(Consumer<CertificateCache> listener) {
    listeners.add(listener);
  }

  /** Whether {@code host} matches a served name directly or by wildcard. */
  public boolean serves(String host) {
    return byName.keySet().stream().anyMatch(n -> Hostnames.matches(n, host));
  }
}
