package dev.gatehouse.config;

/** TCP port numbers as flags and files give them. */
public final class Ports {
  private Ports() {}

  /**
   * @param zeroAllowed whether 0 ("pick a free port", or "off" for a listener) is accepted
   */
  public static int parse(String where, String value, boolean zeroAllowed) throws ConfigException {
    int min = zeroAllowed ? 0 : 1;
    try {
      int port = Integer.parseInt(value.trim());
      if (port >= min && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below with the valid range
    }
    throw ConfigException.invalid(where, value, "a port from " + min + " to 65535");
  }

  public static int check(String where, int port, boolean zeroAllowed) throws ConfigException {
    return parse(where, Integer.toString(port), zeroAllowed);
  }
}
