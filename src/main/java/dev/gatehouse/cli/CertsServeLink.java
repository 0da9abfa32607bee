package dev.gatehouse.cli;

import dev.gatehouse.store.Storage;
import dev.gatehouse.store.StorageKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * How {@code certs} talks to a {@code serve} running on the same state directory: serve announces itself
 * in {@link #StorageKeys.SERVE_PID} ({@code PID START-TIME}, so a recycled PID is never signalled) and reacts to SIGHUP by
 * (1) renewing every name requested under {@link StorageKeys#RENEW_REQUESTS} (a forced renewal of a
 * certificate serve obtains itself: serve holds the ports its challenges need) and (2) serving certificates
 * another process stored since ({@code CertificateManager.checkStorageForNewer}). {@code certs renew} writes
 * files, then signals; for serve's own certificates it requests, signals and waits for the new serial. Serve
 * also watches the storage for requests, which is how a request reaches the nodes of a cluster.
 */
public final class CertsServeLink {
  private CertsServeLink() {}

  /** For serve at start: records this process so {@code certs} can signal it. */
  public static void announce(Storage storage) throws IOException {
    ProcessHandle self = ProcessHandle.current();
    String start = self.info().startInstant().map(Instant::toString).orElse("-");
    storage.store(StorageKeys.SERVE_PID, (self.pid() + " " + start + "\n").getBytes(StandardCharsets.US_ASCII), false);
  }

  /** For serve at shutdown: removes the record if it is still this process's. */
  public static void withdraw(Storage storage) throws IOException {
    Optional<ProcessHandle> running = runningServe(storage);
    if (running.isPresent() && running.get().pid() == ProcessHandle.current().pid()) {
      storage.delete(StorageKeys.SERVE_PID);
    }
  }

  /**
   * A forced renewal {@code certs renew --force} asked for: the site's primary name and the serial of the
   * certificate to replace (empty if there was none), so that every node of a cluster may see the request and
   * only one of them orders.
   */
  public record RenewalRequest(String name, Optional<String> replacing) {

    /** {@code NAME SERIAL} (or {@code NAME} alone, as written before serials were recorded); empty if blank. */
    static Optional<RenewalRequest> parse(byte[] stored) {
      String[] parts = new String(stored, StandardCharsets.UTF_8).trim().split("\\s+");
      if (parts[0].isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new RenewalRequest(parts[0], parts.length > 1 ? Optional.of(parts[1]) : Optional.empty()));
    }
  }

  /** For serve on SIGHUP: every pending forced renewal, each removed as it is taken. */
  public static List<RenewalRequest> takeRenewalRequests(Storage storage) throws IOException {
    List<RenewalRequest> requests = new ArrayList<>();
    for (String key : storage.list(StorageKeys.RENEW_REQUESTS)) {
      if (key.endsWith("/")) {
        continue;
      }
      Optional<byte[]> request = storage.load(key);
      storage.delete(key);
      request.flatMap(RenewalRequest::parse).ifPresent(requests::add);
    }
    return requests;
  }

  /**
   * For serve when storage reports a change under {@link StorageKeys#RENEW_REQUESTS}: the request stored under
   * {@code key}, left in place for the other nodes (each orders only if the serial is still current); empty
   * once it was removed.
   */
  public static Optional<RenewalRequest> renewalRequest(Storage storage, String key) throws IOException {
    return storage.load(key).flatMap(RenewalRequest::parse);
  }

  /** The serve recorded in {@link #StorageKeys.SERVE_PID}, if that very process is still alive. */
  static Optional<ProcessHandle> runningServe(Storage storage) throws IOException {
    Optional<byte[]> record = storage.load(StorageKeys.SERVE_PID);
    if (record.isEmpty()) {
      return Optional.empty();
    }
    String[] parts = new String(record.get(), StandardCharsets.US_ASCII).trim().split("\\s+");
    try {
      Optional<ProcessHandle> process = ProcessHandle.of(Long.parseLong(parts[0])).filter(ProcessHandle::isAlive);
      String recordedStart = parts.length > 1 ? parts[1] : "-";
      return process.filter(p -> p.info().startInstant().map(Instant::toString).orElse("-").equals(recordedStart));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Asks serve to replace the certificate of {@code name} with serial {@code replacing}: at its next SIGHUP,
   * and within seconds on every node that watches the storage.
   */
  static void requestRenewal(Storage storage, String name, Optional<String> replacing) throws IOException {
    String request = name + replacing.map(serial -> " " + serial).orElse("") + "\n";
    storage.store(StorageKeys.renewRequest(name), request.getBytes(StandardCharsets.UTF_8), false);
  }

  /**
   * Sends SIGHUP with {@code kill}: the JDK can only send SIGTERM and SIGKILL.
   *
   * @throws IOException when kill fails (the process is gone, or belongs to another user)
   */
  static void signalReload(ProcessHandle serve) throws IOException {
    Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(serve.pid())).redirectErrorStream(true).start();
    try {
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IOException("kill -HUP " + serve.pid() + " failed: "
            + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while signalling serve", e);
    }
  }
}
