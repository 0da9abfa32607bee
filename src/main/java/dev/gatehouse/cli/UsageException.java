package dev.gatehouse.cli;

/**
 * A usage error found while running a command (a file that does not parse, a port in use): printed as one
 * line, exit status 2.
 */
public final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageException(String message) {
    super(message, null, false, false);
  }
}
