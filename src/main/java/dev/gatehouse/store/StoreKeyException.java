package dev.gatehouse.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The store key file is missing, not a key, or not the key the shared store was written with. The message is
 * one line for the operator: {@code store key file PATH REASON}.
 */
public final class StoreKeyException extends IOException {
  private static final long serialVersionUID = 1L;

  public StoreKeyException(Path file, String reason) {
    super("store key file " + file + " " + reason);
  }
}
