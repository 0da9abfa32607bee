package dev.gatehouse.config;

import java.net.IDN;
import java.util.Locale;
import java.util.regex.Pattern;

/** Site names as they appear in certificates and Host headers. */
public final class Hostnames {
  private Hostnames() {}

  /** RFC 1123 labels; a wildcard only as the whole leftmost label (RFC 6125 §6.4.3). */
  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /**
   * Lower-cases, drops a trailing dot, converts IDNs to their ASCII form, and checks the result.
   *
   * @param where the flag or file the name came from, for the error message
   */
  public static String normalize(String where, String name) throws ConfigException {
    String n = name.trim().toLowerCase(Locale.ROOT);
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    if (IPV4.matcher(n).matches() || n.equals("::1")) {
      return n;
    }
    try {
      n = IDN.toASCII(n, IDN.ALLOW_UNASSIGNED).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw ConfigException.invalid(where, name, "a DNS name such as example.com or *.example.com");
    }
    String[] labels = n.split("\\.", -1);
    if (n.isEmpty() || n.length() > 253) {
      throw ConfigException.invalid(where, name, "a DNS name such as example.com or *.example.com");
    }
    for (int i = 0; i < labels.length; i++) {
      boolean wildcard = i == 0 && labels[i].equals("*") && labels.length > 2;
      if (!wildcard && !LABEL.matcher(labels[i]).matches()) {
        throw ConfigException.invalid(where, name, "a DNS name such as example.com or *.example.com");
      }
    }
    return n;
  }

  /** Names no public CA will certify, which the local CA serves by default. */
  public static boolean isLocal(String name) {
    return name.equals("localhost")
        || name.endsWith(".localhost")
        || name.equals("127.0.0.1")
        || name.equals("::1");
  }

  public static boolean isWildcard(String name) {
    return name.startsWith("*.");
  }

  /** Whether {@code host} (normalized) is {@code pattern} or matched by it as a wildcard. */
  public static boolean matches(String pattern, String host) {
    if (pattern.equals(host)) {
      return true;
    }
    if (isWildcard(pattern)) {
      int dot = host.indexOf('.');
      return dot > 0 && host.substring(dot).equals(pattern.substring(1));
    }
    return false;
  }
}
