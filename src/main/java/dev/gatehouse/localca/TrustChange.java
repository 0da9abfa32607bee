package dev.gatehouse.localca;

import java.util.Optional;

/**
 * What {@code ca install} or {@code ca uninstall} did to one trust store.
 *
 * @param store which store, as a user recognises it ({@code Chromium/Chrome NSS database ~/.pki/nssdb})
 * @param detail what happened, or why it could not
 * @param finish the exact command that does what could not be done here (missing tool, no permission)
 */
public record TrustChange(String store, Outcome outcome, String detail, Optional<String> finish) {

  /** Whether the store now is as asked, or needs the user. */
  public enum Outcome {
    /** Changed as asked. */
    DONE,
    /** Already as asked: nothing changed. */
    UNCHANGED,
    /** Nothing to do here (no such store on this machine). */
    SKIPPED,
    /** Could not: {@link #finish} says how. */
    NEEDS_USER
  }

  static TrustChange done(String store, String detail) {
    return new TrustChange(store, Outcome.DONE, detail, Optional.empty());
  }

  static TrustChange unchanged(String store, String detail) {
    return new TrustChange(store, Outcome.UNCHANGED, detail, Optional.empty());
  }

  static TrustChange skipped(String store, String detail) {
    return new TrustChange(store, Outcome.SKIPPED, detail, Optional.empty());
  }

  static TrustChange needsUser(String store, String detail, String finish) {
    return new TrustChange(store, Outcome.NEEDS_USER, detail, Optional.of(finish));
  }
}
