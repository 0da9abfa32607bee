package dev.gatehouse.audit;

/**
 * The audit could not run at all: the host does not resolve, the HTTPS port does not answer, or what answers
 * is not TLS. The message says which, in one line, for the user (exit code 2).
 */
public final class AuditUnavailableException extends Exception {
  public AuditUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
