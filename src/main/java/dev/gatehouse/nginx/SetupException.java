package dev.gatehouse.nginx;

/**
 * A step of {@code nginx setup} failed. The message is one line: the step and why, with the fix where
 * one is known; {@link #restored()} says what was put back.
 */
public final class SetupException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String step;
  private final String reason;
  private final String restored;

  public SetupException(String step, String reason) {
    this(step, reason, "", null);
  }

  private SetupException(String step, String reason, String restored, Throwable cause) {
    super("step '" + step + "' failed: " + reason, cause);
    this.step = step;
    this.reason = reason;
    this.restored = restored;
  }

  /** The same failure, with what the rollback did. */
  SetupException withRestored(String what) {
    return new SetupException(step, reason, what, getCause());
  }

  public String step() {
    return step;
  }

  public String reason() {
    return reason;
  }

  /** What was restored after the failure; empty when nothing had been changed yet. */
  public String restored() {
    return restored;
  }
}
