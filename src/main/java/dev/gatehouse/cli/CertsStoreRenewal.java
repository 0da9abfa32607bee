package dev.gatehouse.cli;

import dev.gatehouse.certs.CertificateFileException;
import dev.gatehouse.certs.CertificateStore;
import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StorageKeys;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * {@code certs renew --store URL}: the servers of the site renew the certificates in the shared store
 * themselves, since they hold the ports the challenges need and share the answers. {@code --force} asks them
 * through the store ({@link CertsServeLink#requestRenewal}, which every server watches; the request names the
 * serial to replace, so one server orders) and waits until the store holds a new serial.
 */
final class CertsStoreRenewal {

  private static final long POLL_MILLIS = 250;

  private final CertsConsole console;
  private final Storage storage;

  CertsStoreRenewal(CertsConsole console, Storage storage) {
    this.console = console;
    this.storage = storage;
  }

  /** The primary names of every certificate in the store. */
  List<String> names() throws IOException {
    List<String> names = new ArrayList<>();
    for (String dir : storage.list(StorageKeys.LIVE)) {
      names.add(dir.substring(StorageKeys.LIVE.length()).replaceAll("/$", "").replaceFirst("^wildcard_\\.", "*."));
    }
    return names;
  }

  /** Reports who renews {@code name}; with {@code force}, asks the servers and waits. */
  boolean renew(String name, boolean force, Duration timeout) {
    Optional<String> before;
    try {
      before = new CertificateStore(storage).storedSerial(name);
    } catch (IOException | CertificateFileException e) {
      console.error(name + ": cannot read the stored certificate in " + storage + ": " + e.getMessage());
      return false;
    }
    if (before.isEmpty()) {
      console.error(name + ": no certificate in " + storage + " (expected: a name certs list --store shows)");
      return false;
    }
    if (!force) {
      console.result(name + ": renewed by the site's servers when due (serial " + before.get() + ")");
      return true;
    }
    try {
      CertsServeLink.requestRenewal(storage, name, before);
    } catch (IOException e) {
      console.error(name + ": cannot ask the servers through " + storage + ": " + e.getMessage());
      return false;
    }
    console.progress().step(name + ": asked the servers to renew it; waiting for the new certificate");
    Optional<String> serial = awaitNewSerial(storage, name, before.get(), timeout, () -> true);
    if (serial.isEmpty()) {
      console.error(name + ": no server stored a new certificate within " + timeout.toMinutes()
          + " min — likely fix: check that serve runs with this --store; its log has the failure line");
      return false;
    }
    console.result(name + ": renewed by the site's servers, serial " + serial.get());
    return true;
  }

  /**
   * The serial stored for {@code name} once it is no longer {@code before}; empty after {@code timeout} or as
   * soon as {@code stillWaiting} says there is no point (the serve that would renew it is gone).
   */
  static Optional<String> awaitNewSerial(
      Storage storage, String name, String before, Duration timeout, BooleanSupplier stillWaiting) {
    CertificateStore store = new CertificateStore(storage);
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline) && stillWaiting.getAsBoolean()) {
      try {
        Optional<String> serial = store.storedSerial(name);
        if (serial.isPresent() && !serial.get().equals(before)) {
          return serial;
        }
      } catch (IOException | CertificateFileException e) {
        // a server is writing the set right now: look again
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }
}
