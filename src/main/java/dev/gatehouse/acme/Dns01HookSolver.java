package dev.gatehouse.acme;

import dev.gatehouse.certs.IssuanceException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.challenge.Dns01Challenge;

/**
 * dns-01 (RFC 8555 §8.4) through the operator's {@code --dns-hook CMD}, called as {@code CMD present FQDN
 * VALUE} before validation and {@code CMD cleanup FQDN VALUE} after it, where FQDN is {@code
 * _acme-challenge.NAME.} (with the trailing dot, as lego's exec provider passes it; a wildcard's {@code *.}
 * is dropped) and VALUE the TXT record's content. {@code present} must return once the record is
 * published on the zone's authoritative servers; a non-zero exit fails the challenge. CMD runs through
 * {@code /bin/sh -c}, so it may carry its own arguments.
 */
public final class Dns01HookSolver implements ChallengeSolver {

  private static final System.Logger LOG = System.getLogger(Dns01HookSolver.class.getName());

  /** How long one hook call may take before it is killed: DNS APIs and propagation checks are slow. */
  public static final Duration HOOK_TIMEOUT = Duration.ofMinutes(5);

  private final HookCommand hook;

  public Dns01HookSolver(String command) {
    this.hook = new HookCommand("--dns-hook", command, HOOK_TIMEOUT);
  }

  @Override
  public String type() {
    return Dns01Challenge.TYPE;
  }

  @Override
  public boolean canSolve(String name) {
    return !AcmeIdentifiers.isIp(name);
  }

  @Override
  public Published publish(String name, Challenge challenge) throws IssuanceException {
    Dns01Challenge dns = (Dns01Challenge) challenge;
    String fqdn = recordName(name);
    String value = dns.getDigest();
    try {
      run("present", fqdn, value);
    } catch (IOException e) {
      throw new IssuanceException(
          name + ": dns-01: " + e.getMessage() + " — fix: run '" + hook.command() + " present " + fqdn
              + " " + value + "' by hand and check the DNS provider's credentials and zone");
    }
    return () -> {
      try {
        run("cleanup", fqdn, value);
      } catch (IOException e) {
        LOG.log(Level.WARNING, name + ": --dns-hook cleanup failed, remove the TXT record " + fqdn
            + " by hand: " + e.getMessage());
      }
    };
  }

  /** {@code _acme-challenge.NAME.}, for a wildcard the name without {@code *.} (RFC 8555 §8.4). */
  static String recordName(String name) {
    String base = name.startsWith("*.") ? name.substring(2) : name;
    return Dns01Challenge.RECORD_NAME_PREFIX + "." + base + ".";
  }

  private void run(String action, String fqdn, String value) throws IOException {
    hook.run(List.of(action, fqdn, value), Map.of());
  }

  @Override
  public String toString() {
    return "dns-01 via --dns-hook";
  }
}
