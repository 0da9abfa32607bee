package dev.gatehouse.acme;

import java.util.regex.Pattern;
import org.shredzone.acme4j.Identifier;

/** Site names as ACME identifiers: IP addresses as {@code ip} (RFC 8738), everything else as {@code dns}. */
final class AcmeIdentifiers {
  private AcmeIdentifiers() {}

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  static Identifier of(String name) {
    return isIp(name) ? Identifier.ip(name) : Identifier.dns(name);
  }

  static boolean isIp(String name) {
    return IPV4.matcher(name).matches() || name.contains(":");
  }

  /** The name an identifier stands for, as Gatehouse writes it (lower case, IPs as text). */
  static String name(Identifier id) {
    return Identifier.TYPE_IP.equals(id.getType()) ? id.getIP().getHostAddress() : id.getDomain();
  }
}
