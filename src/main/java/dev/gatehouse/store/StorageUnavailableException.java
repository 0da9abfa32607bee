package dev.gatehouse.store;

import java.io.IOException;

/**
 * The storage's backend (the database) cannot be reached right now. Thrown within a bounded time instead of
 * hanging; callers keep what they have and retry later.
 */
public final class StorageUnavailableException extends IOException {
  private static final long serialVersionUID = 1L;

  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
