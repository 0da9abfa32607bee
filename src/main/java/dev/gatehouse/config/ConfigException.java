package dev.gatehouse.config;

/**
 * A setting that cannot be used. The message is one line that names the flag or file, shows the bad
 * value and says what would be valid, e.g. {@code --upstream: 'unix:' has no socket path (expected:
 * unix:/path/to.sock, HOST:PORT or http://HOST:PORT)}. Command-line front ends print it as it is and exit
 * with status 2.
 */
public final class ConfigException extends Exception {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  /** A message of the house form: {@code where: 'value' problem (expected: valid)}. */
  public static ConfigException invalid(String where, String value, String expected) {
    return new ConfigException(where + ": '" + value + "' is not valid (expected: " + expected + ")");
  }
}
