package dev.gatehouse.cli;

import static dev.gatehouse.nginx.PlainHttpSite.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.nginx.ForeignLockHolder;
import dev.gatehouse.nginx.PlainHttpSite;
import dev.gatehouse.nginx.WebrootTestCa;
import dev.gatehouse.testing.Curl;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gatehouse nginx setup|points|rollback} as typed, against a {@link PlainHttpSite}. */
class NginxCommandIT {

  record Result(int exitCode, String out, String err) {}

  @Test
  void setupThenPointsThenRollback(@TempDir Path work) throws Exception {
    try (PlainHttpSite site = PlainHttpSite.start(work)) {
      WebrootTestCa ca = new WebrootTestCa(work.resolve("state/live"), site.httpPort);
      Path caPem = ca.writeRoot(work.resolve("ca.pem"));
      Path cron = Files.createDirectories(work.resolve("cron.d"));
      Map<String, String> before = site.snapshot();
      List<String> nginxFlags = List.of("--nginx-bin", "/usr/sbin/nginx", "--nginx-conf-dir", site.confDir().toString(),
          "--sites-dir", site.sitesDir.toString(), "--state-dir", work.resolve("state").toString());

      Result setup = run(ca, concat(List.of("nginx", "setup", "app.test", "www.app.test",
          "--upstream", site.app.upstreamArg(), "--static", "/static/=" + site.staticDir,
          "--webroot", work.resolve("webroot").toString(), "--bind", "127.0.0.1",
          "--http-port", Integer.toString(site.httpPort), "--https-port", Integer.toString(site.httpsPort),
          "--no-dns-check", "--renewal", "cron", "--cron-dir", cron.toString()), nginxFlags));

      assertThat(setup.exitCode()).as(setup.out() + setup.err()).isZero();
      assertThat(setup.out()).contains("[12/13] audit the live site", "[13/13] install renewal", "SECURE_PROXY_SSL_HEADER");
      assertThat(Curl.to(site.origin() + "/echo/").cacert(caPem).run().status()).isEqualTo(200);

      Result points = run(ca, concat(List.of("nginx", "points"), nginxFlags));
      assertThat(points.exitCode()).isZero();
      assertThat(points.out().lines()).singleElement().asString().contains("applied", "app.test www.app.test", "(3 file(s))");
      String id = points.out().substring(0, points.out().indexOf(' '));

      Result rollback = run(ca, concat(List.of("nginx", "rollback"), nginxFlags));
      assertThat(rollback.exitCode()).as(rollback.err()).isZero();
      assertThat(rollback.out()).contains("rollback point " + id + ": 3 file(s) restored, nginx -t ok, reloaded");
      assertThat(site.snapshot()).isEqualTo(before);
      assertThat(eventually(() -> site.plainEcho().status() == 200)).isTrue();

      Result again = run(ca, concat(List.of("nginx", "rollback"), nginxFlags));
      assertThat(again.exitCode()).isEqualTo(GatehouseCommand.EXIT_USAGE);
      assertThat(again.err().lines()).singleElement().asString().contains("no finished setup to roll back");
      Result unknown = run(ca, concat(List.of("nginx", "rollback", "19700101-000000"), nginxFlags));
      assertThat(unknown.exitCode()).isEqualTo(GatehouseCommand.EXIT_USAGE);
      assertThat(unknown.err()).contains("POINT: '19700101-000000' is not a rollback point");
      assertThat(run(ca, concat(List.of("nginx", "points"), nginxFlags)).out()).contains(id + "  restored");
    }
  }

  @Test
  void failedSetupExitsWith1AndSaysWhatWasRestored(@TempDir Path work) throws Exception {
    try (PlainHttpSite site = PlainHttpSite.start(work)) {
      WebrootTestCa ca = new WebrootTestCa(work.resolve("state/live"), site.httpPort);
      ca.refuseWith("app.test: rate limited until 2026-11-23T00:00:00Z");

      Result setup = run(ca, List.of("nginx", "setup", "app.test", "www.app.test", "--upstream", site.app.upstreamArg(),
          "--webroot", work.resolve("webroot").toString(), "--bind", "127.0.0.1",
          "--http-port", Integer.toString(site.httpPort), "--https-port", Integer.toString(site.httpsPort),
          "--no-dns-check", "--renewal", "none", "--nginx-conf-dir", site.confDir().toString(),
          "--sites-dir", site.sitesDir.toString(), "--state-dir", work.resolve("state").toString()));

      assertThat(setup.exitCode()).isEqualTo(1);
      assertThat(setup.err().lines()).singleElement().asString()
          .startsWith("gatehouse nginx setup: step 'obtain the certificate from the setup test CA (http-01 by webroot)' "
              + "failed: app.test: rate limited until 2026-11-23T00:00:00Z; rollback point ")
          .endsWith("2 file(s) restored, nginx -t ok, reloaded");
    }
  }

  @Test
  void setupWhileAnotherRunsExitsWith1InOneLineNamingTheLock(@TempDir Path work) throws Exception {
    try (PlainHttpSite site = PlainHttpSite.start(work)) {
      Map<String, String> before = site.snapshot();
      ForeignLockHolder running = ForeignLockHolder.lock(work.resolve("state/nginx-setup.lock"));
      Result setup;
      try {
        setup = run(new WebrootTestCa(work.resolve("state/live"), site.httpPort), List.of("nginx", "setup",
            "app.test", "--upstream", site.app.upstreamArg(), "--webroot", work.resolve("webroot").toString(),
            "--bind", "127.0.0.1", "--http-port", Integer.toString(site.httpPort),
            "--https-port", Integer.toString(site.httpsPort), "--no-dns-check", "--renewal", "none",
            "--nginx-conf-dir", site.confDir().toString(), "--sites-dir", site.sitesDir.toString(),
            "--state-dir", work.resolve("state").toString()));
      } finally {
        running.close();
      }

      assertThat(setup.exitCode()).isEqualTo(1);
      assertThat(setup.err()).isEqualTo("gatehouse nginx setup: step 'preflight' failed: another `gatehouse nginx setup` "
          + "is running: it holds the lock on " + work.resolve("state/nginx-setup.lock")
          + "; wait for it to finish; nothing was changed\n");
      assertThat(setup.out()).isEmpty();
      assertThat(site.snapshot()).isEqualTo(before);
      assertThat(Files.exists(work.resolve("webroot"))).isFalse();
    }
  }

  @Test
  void usageErrorsAreOneLineWithStatus2(@TempDir Path work) {
    WebrootTestCa ca = new WebrootTestCa(work.resolve("live"), 1);
    Result renewal = run(ca, List.of("nginx", "setup", "app.test", "--upstream", "unix:/run/app.sock", "--renewal", "weekly",
        "--state-dir", work.toString()));
    Result caFlag = run(ca, List.of("nginx", "setup", "app.test", "--upstream", "unix:/run/app.sock", "--ca", "ftp://ca",
        "--state-dir", work.toString()));
    Result noSub = run(ca, List.of("nginx"));

    assertThat(renewal.exitCode()).isEqualTo(2);
    assertThat(renewal.err()).isEqualTo("gatehouse nginx setup: --renewal: 'weekly' is not valid (expected: auto, systemd, cron or none)\n");
    assertThat(caFlag.exitCode()).isEqualTo(2);
    assertThat(caFlag.err()).startsWith("gatehouse nginx setup: --ca: 'ftp://ca' is not valid");
    assertThat(noSub.exitCode()).isEqualTo(2);
    assertThat(noSub.err()).contains("a subcommand is needed: setup, rollback or points");
  }

  private static Result run(WebrootTestCa ca, List<String> args) {
    CommandLine cl = GatehouseCommand.commandLine();
    // The same command with a test CA behind its webroot issuance.
    cl.getCommandSpec().removeSubcommand("nginx");
    cl.addSubcommand(new CommandLine(new NginxCommand((commandLine, acme, stateDir, hook) -> ca)));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
