package dev.gatehouse.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Where the admin listener ({@code --admin}, TOML {@code admin}) accepts: {@code /metrics}, {@code /status},
 * {@code /healthz}, {@code /readyz}. A port alone means loopback; any other address must be written out, so
 * metrics and status never reach a public interface by accident (and {@code --bind} never applies here).
 *
 * @param host a literal address
 * @param port 1-65535, or 0 for a free port (tests)
 */
public record AdminListener(String host, int port) {

  /** The loopback address a bare port binds to. */
  public static final String LOOPBACK = "127.0.0.1";

  /** Whether {@link #host} is a loopback address, the only kind that is safe without a firewall. */
  public boolean isLoopback() {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** {@code host} as a URL authority: IPv6 literals in brackets. */
  public String authority() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** {@code PORT}, {@code ADDRESS:PORT} or {@code [IPv6]:PORT}; the address must be a literal IP. */
  public static AdminListener parse(String where, String value) throws ConfigException {
    String v = value.trim();
    String expected = "PORT (loopback) or ADDRESS:PORT such as 127.0.0.1:9180 or [::1]:9180";
    int colon = v.lastIndexOf(':');
    if (colon < 0) {
      return new AdminListener(LOOPBACK, Ports.parse(where, v, true));
    }
    String host = v.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty() || !isIpLiteral(host)) {
      throw ConfigException.invalid(where, value, expected);
    }
    return new AdminListener(host, Ports.parse(where, v.substring(colon + 1), true));
  }

  private static boolean isIpLiteral(String host) {
    if (!host.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
      return false;
    }
    try {
      InetAddress.getByName(host);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
