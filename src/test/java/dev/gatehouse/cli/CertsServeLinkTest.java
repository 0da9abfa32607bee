package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.certs.CertificateStore;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.IssueRequest;
import dev.gatehouse.config.KeyType;
import dev.gatehouse.localca.LocalCaIssuer;
import dev.gatehouse.store.FileStorage;
import dev.gatehouse.store.StorageKeys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The link between {@code certs renew} and a running serve, with a shell process standing in for serve: it
 * records SIGHUP in a file, as serve's handler would react to it.
 */
class CertsServeLinkTest {

  @TempDir Path dir;
  private Path state;
  private Path hups;
  private Process standIn;

  private record Run(int exitCode, String out, String err) {}

  /** A stand-in serve: appends "hup" to argv[1] on each SIGHUP, creates argv[2] once its handler is set. */
  private static final String STAND_IN = String.join("\n",
      "import pathlib, signal, sys, time",
      "def hup(number, frame):",
      "    with open(sys.argv[1], 'a') as f:",
      "        f.write('hup\\n')",
      "signal.signal(signal.SIGHUP, hup)",
      "pathlib.Path(sys.argv[2]).touch()",
      "while True:",
      "    time.sleep(0.05)");

  @BeforeEach
  void startStandInServe() throws Exception {
    state = dir.resolve("state");
    hups = dir.resolve("hups");
    Path ready = dir.resolve("ready");
    // Python, not a shell: a shell cannot trap a signal ignored when it started (POSIX), as SIGHUP is for
    // everything run under nohup, Maven and these tests included.
    standIn = new ProcessBuilder("/usr/bin/python3", "-c", STAND_IN, hups.toString(), ready.toString())
        .redirectErrorStream(true).start();
    // A SIGHUP before the handler is set would end it (the default action), and the test would see no hup.
    for (int i = 0; i < 200 && !Files.exists(ready); i++) {
      Thread.sleep(25);
    }
    assertThat(ready).as("the stand-in serve set its SIGHUP handler").exists();
    ProcessHandle handle = standIn.toHandle();
    FileStorage storage = new FileStorage(state);
    storage.store(StorageKeys.SERVE_PID, (handle.pid() + " " + handle.info().startInstant().orElseThrow() + "\n")
        .getBytes(StandardCharsets.US_ASCII), false);
  }

  @AfterEach
  void stopStandIn() throws Exception {
    standIn.destroy();
    standIn.waitFor(5, TimeUnit.SECONDS);
  }

  private Run certs(String... args) {
    List<String> all = new ArrayList<>(List.of("certs"));
    all.addAll(List.of(args));
    all.addAll(List.of("--state-dir", state.toString()));
    CommandLine cl = GatehouseCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private String hupsSeen() throws Exception {
    for (int i = 0; i < 100 && !Files.exists(hups); i++) {
      Thread.sleep(50);
    }
    return Files.exists(hups) ? Files.readString(hups) : "";
  }

  @Test
  void aCertificateStoredByCertsRenewIsAnnouncedToTheRunningServeWithSighup() throws Exception {
    assertThat(certs("issue", "app.localhost", "--ca", "internal").exitCode()).isZero();
    assertThat(hupsSeen()).isEqualTo("hup\n");
    Files.delete(hups);

    Run run = certs("renew", "--force");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("app.localhost: issued by local CA")
        .contains("told the running serve (pid " + standIn.pid() + ") to load it");
    assertThat(hupsSeen()).isEqualTo("hup\n");
  }

  @Test
  void aForcedRenewalOfServesOwnCertificateIsRequestedFromServeAndAwaited() throws Exception {
    FileStorage storage = new FileStorage(state);
    CertificateStore store = new CertificateStore(storage);
    LocalCaIssuer ca = new LocalCaIssuer(storage);
    IssueRequest request = new IssueRequest(List.of("site.localhost"), KeyType.ECDSA_P256, Optional.empty());
    CertifiedKey current = ca.issue(request);
    store.save("site.localhost", current, ca.name());
    Path hookLog = dir.resolve("hook.log");

    CompletableFuture<Run> renew = CompletableFuture.supplyAsync(
        () -> certs("renew", "site.localhost", "--force", "--deploy-hook", "echo \"$RENEWED_DOMAINS\" > " + hookLog));
    assertThat(hupsSeen()).isEqualTo("hup\n");
    assertThat(CertsServeLink.takeRenewalRequests(storage))
        .containsExactly(new CertsServeLink.RenewalRequest("site.localhost", Optional.of(current.serialHex())));
    CertifiedKey renewed = ca.issue(request);
    store.save("site.localhost", renewed, ca.name());
    Run run = renew.get(30, TimeUnit.SECONDS);

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("site.localhost: renewed by the running serve (pid " + standIn.pid()
        + "), serial " + renewed.serialHex() + "\n");
    assertThat(Files.readString(hookLog)).isEqualTo("site.localhost\n");
  }

  @Test
  void withoutForceServesOwnCertificateIsLeftToServe() throws Exception {
    FileStorage storage = new FileStorage(state);
    LocalCaIssuer ca = new LocalCaIssuer(storage);
    new CertificateStore(storage).save("own.localhost",
        ca.issue(new IssueRequest(List.of("own.localhost"), KeyType.ECDSA_P256, Optional.empty())), ca.name());

    Run run = certs("renew");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("own.localhost: renewed by the running serve (pid " + standIn.pid()
        + ") when due\n");
    assertThat(storage.list(StorageKeys.RENEW_REQUESTS)).isEmpty();
  }

  @Test
  void serveAnnouncesItselfAndWithdrawsOnlyItsOwnRecord() throws Exception {
    FileStorage storage = new FileStorage(state);
    assertThat(CertsServeLink.runningServe(storage).map(ProcessHandle::pid)).contains(standIn.pid());
    CertsServeLink.withdraw(storage);
    assertThat(CertsServeLink.runningServe(storage).map(ProcessHandle::pid)).contains(standIn.pid());

    CertsServeLink.announce(storage);
    assertThat(CertsServeLink.runningServe(storage).map(ProcessHandle::pid)).contains(ProcessHandle.current().pid());
    CertsServeLink.withdraw(storage);
    assertThat(storage.load(StorageKeys.SERVE_PID)).isEmpty();
  }

  @Test
  void aRecycledPidIsNeverSignalled() throws Exception {
    FileStorage storage = new FileStorage(state);
    storage.store(StorageKeys.SERVE_PID, (standIn.pid() + " " + Instant.EPOCH + "\n")
        .getBytes(StandardCharsets.US_ASCII), false);
    assertThat(CertsServeLink.runningServe(storage)).isEmpty();
  }
}
