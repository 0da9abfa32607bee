package dev.gatehouse.audit.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a host name into the address to connect to: a {@code --resolve HOST:IP} override first (like curl's
 * {@code --resolve}, so a deployment can be audited before DNS points at it), the system resolver otherwise.
 * Thread-safe; the system lookup may block.
 */
public final class HostResolver {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  private final Map<String, InetAddress> overrides;

  /** @param overrides lower-case host name to address */
  public HostResolver(Map<String, InetAddress> overrides) {
    this.overrides = Map.copyOf(overrides);
  }

  public InetAddress resolve(String host) throws UnknownHostException {
    InetAddress override = overrides.get(host.toLowerCase(Locale.ROOT));
    if (override != null) {
      return override;
    }
    return InetAddress.getByName(host);
  }

  /**
   * Parses an IP literal without consulting DNS: {@code 127.0.0.1}, {@code ::1} or {@code [::1]}.
   *
   * @throws IllegalArgumentException when {@code text} is not an IP address
   */
  public static InetAddress parseAddress(String text) {
    String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    if (!IPV4.matcher(literal).matches() && !IPV6.matcher(literal).matches()) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address");
    }
    try {
      // getByName on a literal only parses it; it never queries DNS.
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + text + "' is not an IP address", e);
    }
  }

  /** Whether {@code host} is an IP literal rather than a name (no SNI is sent for those, RFC 6066 §3). */
  public static boolean isIpLiteral(String host) {
    return IPV4.matcher(host).matches() || host.contains(":");
  }
}
