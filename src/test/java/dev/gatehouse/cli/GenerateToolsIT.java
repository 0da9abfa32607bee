package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.ManagedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caddy and systemd read what {@code generate caddy} and {@code generate systemd} write, as intended. */
class GenerateToolsIT {

  private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(60);

  @Test
  void caddyValidatesAndAdaptsTheCaddyfileAsIntended(@TempDir Path work) throws Exception {
    Path caddyfile = work.resolve("Caddyfile");
    GenerateCli.Result r = GenerateCli.run("generate", "caddy", "app.test", "www.app.test",
        "--upstream", "unix:/run/app/gunicorn.sock", "--static", "/static/=/srv/app/staticfiles",
        "--http-port", "8080", "--https-port", "8443", "--bind", "127.0.0.1", "--max-body", "5M",
        "--output", caddyfile.toString());
    assertThat(r.exitCode()).as(r.err()).isZero();
    // Caddy keeps state under HOME/XDG dirs: give it the test's directory, never the user's.
    Map<String, String> env = Map.of("HOME", work.toString(), "XDG_DATA_HOME", work.resolve("data").toString(),
        "XDG_CONFIG_HOME", work.resolve("config").toString());

    ManagedProcess.Result validate = ManagedProcess.run(
        List.of("caddy", "validate", "--adapter", "caddyfile", "--config", caddyfile.toString()), env, work, TOOL_TIMEOUT);
    ManagedProcess.Result adapt = ManagedProcess.run(
        List.of("caddy", "adapt", "--adapter", "caddyfile", "--config", caddyfile.toString()), env, work, TOOL_TIMEOUT);
    ManagedProcess.Result fmt = ManagedProcess.run(List.of("caddy", "fmt", caddyfile.toString()), env, work, TOOL_TIMEOUT);

    assertThat(validate.exitCode()).as(validate.output()).isZero();
    assertThat(validate.output()).contains("Valid configuration");
    assertThat(adapt.exitCode()).as(adapt.output()).isZero();
    assertThat(adapt.output())
        .doesNotContain("\"level\":\"warn\"")
        .contains("\"dial\":\"unix//run/app/gunicorn.sock\"", "\"max_size\":5242880", "\"root\":\"/srv/app/staticfiles\"",
            "\"Strict-Transport-Security\":[\"max-age=300\"]", "\"https_port\":8443", "\"listen\":[\"127.0.0.1:8443\"]");
    assertThat(fmt.output()).as("already formatted as caddy fmt formats it").isEqualTo(Files.readString(caddyfile));
  }

  @Test
  void systemdAnalyzeVerifiesEveryUnit(@TempDir Path work) throws Exception {
    Assumptions.assumeTrue(
        ManagedProcess.run(List.of("sh", "-c", "command -v systemd-analyze"), Map.of(), work, TOOL_TIMEOUT).exitCode() == 0,
        "systemd-analyze is not installed: the generated units are not verified here");
    Path bin = work.resolve("gatehouse");
    Files.writeString(bin, "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(bin, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path units = Files.createDirectories(work.resolve("units"));
    assertThat(GenerateCli.run("generate", "systemd", "app.test", "--upstream", "unix:/run/gunicorn.sock",
        "--static", "/static/=/srv/app/static", "--gatehouse-bin", bin.toString(), "--output-dir", units.toString())
        .exitCode()).isZero();
    assertThat(GenerateCli.run("generate", "systemd", "--renewal", "--gatehouse-bin", bin.toString(),
        "--output-dir", units.toString()).exitCode()).isZero();

    ManagedProcess.Result verify = ManagedProcess.run(
        List.of("systemd-analyze", "verify", "gatehouse.service", "gatehouse-renew.service", "gatehouse-renew.timer"),
        Map.of(), units, TOOL_TIMEOUT);

    assertThat(verify.exitCode()).as(verify.output()).isZero();
    assertThat(verify.output()).as("no warning about any line").isEmpty();
  }
}
