package dev.gatehouse.certs;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.Hostnames;
import dev.gatehouse.config.KeyType;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Certificates signed on the first handshake that asks for a name, for {@code gatehouse dev}: any {@code
 * NAME.localhost}, also {@code a.b.localhost}, works without being listed. RFC 6761 §6.3 makes every such
 * name this machine, and no certificate covers them all: browsers refuse {@code *.localhost} (a wildcard
 * needs two labels after it), and a wildcard never covers two labels (RFC 6125 §6.4.3). Only {@code dev}
 * uses this: a public server must not sign whatever name a client sends. Each certificate goes into the
 * {@link CertificateCache} and stays there for the life of the process; at most {@link #MAX_NAMES} names are
 * signed, so a client cannot make the process sign without end. Safe for concurrent use.
 */
public final class OnDemandCertificates {

  /** Names signed on demand per process; a developer's subdomains are a handful. */
  public static final int MAX_NAMES = 100;

  private static final Logger LOG = Logger.getLogger(OnDemandCertificates.class.getName());
  private static final String LOCALHOST_SUFFIX = ".localhost";

  private final Issuer issuer;
  private final KeyType keyType;
  private final CertificateCache cache;
  /** Guarded by {@code this}. */
  private final Set<String> signed = new HashSet<>();
  /** Guarded by {@code this}; the limit is logged once, not on every handshake it turns away. */
  private boolean limitLogged;

  /** Signs certificates for subdomains of localhost with {@code issuer} (the local CA) into {@code cache}. */
  public OnDemandCertificates(Issuer issuer, KeyType keyType, CertificateCache cache) {
    this.issuer = issuer;
    this.keyType = keyType;
    this.cache = cache;
  }

  /**
   * Whether {@code host} (lower-case, no trailing dot, as SNI and Host arrive) is a name this signs for: a
   * DNS name by {@link Hostnames#normalize} rules, below {@code localhost}, not a wildcard.
   */
  public boolean covers(String host) {
    if (!host.endsWith(LOCALHOST_SUFFIX) || Hostnames.isWildcard(host)) {
      return false;
    }
    try {
      return Hostnames.normalize("SNI", host).equals(host);
    } catch (ConfigException e) {
      return false;
    }
  }

  /**
   * The certificate for {@code name}: the one cached, else a new one, signed and cached. Empty when {@code
   * name} is not {@linkplain #covers covered} or {@link #MAX_NAMES} names were signed already (logged once).
   * Signing takes milliseconds of CPU: never call on an event loop.
   *
   * @throws IssuanceException when the issuer fails
   */
  public synchronized Optional<CertifiedKey> obtain(String name) throws IssuanceException {
    Optional<CertifiedKey> cached = cache.lookup(name);
    if (cached.isPresent() || !covers(name)) {
      return cached;
    }
    if (signed.size() >= MAX_NAMES) {
      if (!limitLogged) {
        limitLogged = true;
        LOG.warning("no certificate for " + name + " or any other new name: " + MAX_NAMES
            + " names were signed on demand already (restart gatehouse dev, or list the names with --name)");
      }
      return Optional.empty();
    }
    CertifiedKey key = issuer.issue(new IssueRequest(List.of(name), keyType, Optional.empty()));
    signed.add(name);
    cache.put(List.of(name), key);
    return Optional.of(key);
  }
}
