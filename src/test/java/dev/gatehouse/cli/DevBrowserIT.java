package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.DevProject;
import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.HeadlessChromium;
import dev.gatehouse.testing.ManagedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse ca install} and {@code uninstall} as a developer sees them in a browser: headless
 * Chromium, with a fresh profile and NSS database in a temp HOME, in front of {@code gatehouse dev} on the
 * Django test project. The system-store step writes to a temp anchors directory and its update command
 * collects that directory into a bundle, so the machine's own store is never touched.
 */
class DevBrowserIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(180);
  private static final String CERT_ERROR = "net::ERR_CERT_AUTHORITY_INVALID";

  @TempDir static Path temp;
  private static DevProject project;
  private static Path home;
  private static Path anchors;
  private static Path bundle;
  private static Map<String, String> env;

  @BeforeAll
  static void startDevServer() throws Exception {
    home = Files.createDirectories(temp.resolve("home"));
    Path nssdb = Files.createDirectories(home.resolve(".pki/nssdb"));
    run("certutil", "-N", "-d", "sql:" + nssdb, "--empty-password");
    anchors = Files.createDirectories(temp.resolve("anchors"));
    bundle = temp.resolve("bundle.pem");
    Path update = temp.resolve("update-bundle");
    Files.writeString(update, "#!/bin/sh\ncat " + anchors + "/*.crt > " + bundle + " 2>/dev/null || : > " + bundle + "\n");
    Files.setPosixFilePermissions(update, PosixFilePermissions.fromString("rwx------"));
    env = Map.of("HOME", home.toString(), "GATEHOUSE_CA_CERTIFICATES_DIR", anchors.toString(),
        "GATEHOUSE_UPDATE_CA_CERTIFICATES", update.toString());
    project = DevProject.create(Map.of());
    project.startDev(Map.of("HOME", home.toString()));
  }

  @AfterAll
  static void stop() {
    if (project != null) {
      project.close();
    }
  }

  @Test
  void chromiumTrustsTheDevServerOnlyWhileTheRootIsInstalled() throws Exception {
    Path foreign = otherRoot();
    run("certutil", "-A", "-d", "sql:" + home.resolve(".pki/nssdb"), "-t", "C,,", "-n", "someone-else", "-i", foreign.toString());
    Files.copy(foreign, anchors.resolve("someone-else.crt"));
    String login = project.url("/admin/login/");

    try (HeadlessChromium chromium = HeadlessChromium.start(home)) {
      assertThat(chromium.open(login)).isEqualTo(CERT_ERROR);
    }

    ManagedProcess.Result install = ca("install");
    assertThat(install.exitCode()).as(install.output()).isZero();
    assertThat(install.output())
        .contains("system store " + anchors + ": added gatehouse-local-ca-")
        .contains("Chromium/Chrome NSS database " + home.resolve(".pki/nssdb") + ": added gatehouse-local-ca-");
    assertThat(bundle).content().contains(Files.readString(project.rootPem()).strip());
    ManagedProcess.Result again = ca("install");
    assertThat(again.exitCode()).as(again.output()).isZero();
    assertThat(again.output()).contains("already has gatehouse-local-ca-").contains("already trusts gatehouse-local-ca-")
        .doesNotContain("added");

    try (HeadlessChromium chromium = HeadlessChromium.start(home)) {
      assertThat(chromium.open(login)).isEmpty();
      assertThat(chromium.evaluate("document.title")).contains("Log in");
      chromium.evaluate("document.getElementById('id_username').value = '" + DjangoApp.ADMIN_USERNAME + "';"
          + "document.getElementById('id_password').value = '" + DjangoApp.ADMIN_PASSWORD + "';"
          + "document.getElementById('login-form').submit(); 'sent'");
      chromium.awaitPage("location.pathname", "/admin/"::equals);
      assertThat(chromium.awaitPage("document.body.innerText", text -> text.contains("Site administration")))
          .doesNotContain("CSRF verification failed");
    }

    ManagedProcess.Result uninstall = ca("uninstall");
    assertThat(uninstall.exitCode()).as(uninstall.output()).isZero();
    assertThat(uninstall.output()).contains("removed gatehouse-local-ca-");
    assertThat(anchors.resolve("someone-else.crt")).exists();
    assertThat(Files.list(anchors).toList()).hasSize(1);
    assertThat(run("certutil", "-L", "-d", "sql:" + home.resolve(".pki/nssdb")))
        .contains("someone-else").doesNotContain("gatehouse-local-ca-");

    try (HeadlessChromium chromium = HeadlessChromium.start(home)) {
      assertThat(chromium.open(login)).isEqualTo(CERT_ERROR);
    }
  }

  private static ManagedProcess.Result ca(String subcommand) {
    return GatehouseProcess.run(temp, env, TIMEOUT, List.of("ca", subcommand, "--state-dir", project.stateDir().toString()));
  }

  private static Path otherRoot() {
    Path pem = temp.resolve("other-root.pem");
    run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
        "-keyout", temp.resolve("other-root.key").toString(), "-out", pem.toString(), "-subj", "/CN=Someone Else's CA",
        "-days", "2");
    return pem;
  }

  private static String run(String... command) {
    return ManagedProcess.run(List.of(command), Map.of(), temp, TIMEOUT).orThrow(String.join(" ", command));
  }
}
