package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.Curl;
import dev.gatehouse.testing.CurlResult;
import dev.gatehouse.testing.DevProject;
import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.ManagedProcess;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse dev} on a copy of the Django test project with its own {@code manage.py runserver}
 * (Django 5.2): runserver's autoreload behind the proxy, Ctrl-C, the settings check at start, runserver's
 * exit status, and the usage errors. One project and one {@code dev} serve the first two tests, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DevCommandIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir static Path temp;
  private static DevProject project;

  @BeforeAll
  static void startDev() {
    project = DevProject.create(Map.of());
    project.startDev(Map.of(), "--name", "app.localhost");
  }

  @AfterAll
  static void stop() {
    if (project != null) {
      project.close();
    }
  }

  @Test
  @Order(1)
  void editedViewIsServedAfterRunserverReloads() throws Exception {
    assertThat(project.get("/").bodyText()).doesNotContain("edited while gatehouse dev ran");
    assertThat(project.dev().log())
        .contains("ok  Django sees HTTPS")
        .contains("ok  a POST from https://localhost:" + project.httpsPort() + " passes CSRF")
        .contains("ok  ALLOWED_HOSTS takes localhost and *.localhost");

    Path views = project.dir().resolve("testsite/views.py");
    Files.writeString(views, Files.readString(views).replace(
        "return HttpResponse(HOME_PAGE,", "return HttpResponse(\"<p>edited while gatehouse dev ran</p>\","));

    project.dev().awaitReady("the edited home view served", TIMEOUT,
        () -> project.get("/").bodyText().contains("edited while gatehouse dev ran"));
    assertThat(project.get("/").httpVersion()).isEqualTo("2");
    assertThat(project.get("/").headers().toString()).doesNotContainIgnoringCase("strict-transport-security");
    CurlResult subdomain = Curl.to("https://app.localhost:" + project.httpsPort() + "/echo/").cacert(project.rootPem()).run();
    assertThat(subdomain.status()).as(subdomain.stderr()).isEqualTo(200);
    assertThat(subdomain.bodyText()).contains("\"host\": \"app.localhost:" + project.httpsPort() + "\"")
        .contains("\"is_secure\": true");
  }

  @Test
  @Order(2)
  void ctrlCStopsRunserverAndItsReloaderChild() {
    List<ProcessHandle> runserver = ProcessHandle.of(project.dev().pid()).orElseThrow().descendants().toList();
    assertThat(runserver).as("runserver's reloader and its server child").hasSizeGreaterThanOrEqualTo(2);

    project.dev().signal("INT");

    assertThat(project.dev().waitForExit(TIMEOUT)).isTrue();
    assertThat(project.dev().exitCode()).isZero();
    assertThat(runserver).noneMatch(ProcessHandle::isAlive);
    assertThat(accepts(project.httpsPort())).isFalse();
  }

  @Test
  void settingsCheckNamesWhatToAddAndRunserversExitStatusEndsDev() {
    try (DevProject misconfigured = DevProject.create(Map.of("DJANGO_SECURE_PROXY_SSL_HEADER", "0"))) {
      ManagedProcess dev = misconfigured.launchDev(Map.of(), "--", "--no-such-runserver-option");

      assertThat(dev.waitForExit(TIMEOUT)).isTrue();
      // argparse's status for an unknown option, passed on.
      assertThat(dev.exitCode()).as(dev.log()).isEqualTo(2);
      int port = misconfigured.httpsPort();
      assertThat(dev.log())
          .contains("FIX Django does not see HTTPS; add to the settings:")
          .contains("SECURE_PROXY_SSL_HEADER = (\"HTTP_X_FORWARDED_PROTO\", \"https\")")
          .contains("FIX a POST from https://localhost:" + port + " fails CSRF (Origin checking failed")
          .contains("CSRF_TRUSTED_ORIGINS = [\"https://localhost:" + port + "\", \"https://*.localhost:" + port + "\"]")
          .contains("ok  ALLOWED_HOSTS takes localhost and *.localhost")
          .contains("gatehouse generate django --dev")
          .contains("unrecognized arguments: --no-such-runserver-option");
    }
  }

  @Test
  void generatedDevSettingsPassEveryCheck() throws Exception {
    try (DevProject misconfigured = DevProject.create(Map.of("DJANGO_SECURE_PROXY_SSL_HEADER", "0",
        "DJANGO_ALLOWED_HOSTS", "example.com"))) {
      Path settings = misconfigured.dir().resolve("testsite");
      ManagedProcess.Result generated = GatehouseProcess.run(temp, Map.of(), TIMEOUT, List.of("generate", "django",
          "--dev", "--https-port", Integer.toString(misconfigured.httpsPort()), "--output-dir", settings.toString()));
      assertThat(generated.exitCode()).as(generated.output()).isZero();
      Files.writeString(settings.resolve("settings.py"), "\nfrom .gatehouse_dev_settings import *  # noqa\n",
          StandardOpenOption.APPEND);

      ManagedProcess dev = misconfigured.launchDev(Map.of(), "--", "--no-such-runserver-option");

      assertThat(dev.waitForExit(TIMEOUT)).isTrue();
      assertThat(dev.log())
          .contains("ok  Django sees HTTPS")
          .contains("ok  a POST from https://localhost:" + misconfigured.httpsPort() + " passes CSRF")
          .contains("ok  ALLOWED_HOSTS takes localhost and *.localhost")
          .doesNotContain("FIX");
    }
  }

  @Test
  void usageErrorsAreOneLineWithStatus2() throws Exception {
    Path empty = Files.createDirectories(temp.resolve("not-a-project"));
    ManagedProcess.Result noProject = GatehouseProcess.run(empty, TIMEOUT, "dev");
    assertThat(noProject.exitCode()).isEqualTo(2);
    assertThat(noProject.output().strip()).isEqualTo("gatehouse dev: no manage.py in " + empty.toRealPath()
        + " (expected: run gatehouse dev in the Django project folder, or give --upstream)");

    ManagedProcess.Result noPython = GatehouseProcess.run(project.dir(), TIMEOUT, "dev", "--python", "/nonexistent/python3");
    assertThat(noPython.exitCode()).isEqualTo(2);
    assertThat(noPython.output().strip()).isEqualTo("gatehouse dev: --python: '/nonexistent/python3' is not an"
        + " executable program (expected: a Python with Django, e.g. .venv/bin/python)");

    ManagedProcess.Result notLocal = GatehouseProcess.run(project.dir(), TIMEOUT, "dev", "--name", "app.example.com");
    assertThat(notLocal.exitCode()).isEqualTo(2);
    assertThat(notLocal.output().strip()).isEqualTo("gatehouse dev: --name: 'app.example.com' is not a subdomain of"
        + " localhost (expected: e.g. api.localhost)");

    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      ManagedProcess.Result portTaken = GatehouseProcess.run(project.dir(), TIMEOUT, "dev", "--https-port",
          Integer.toString(taken.getLocalPort()), "--state-dir", project.stateDir().toString(),
          "--python", DevProject.python().toString());
      assertThat(portTaken.exitCode()).as(portTaken.output()).isEqualTo(2);
      assertThat(portTaken.output()).endsWith("gatehouse dev: cannot listen on 127.0.0.1:" + taken.getLocalPort()
          + " (--https-port): port " + taken.getLocalPort() + " in use: stop the other server or choose another port"
          + " with --https-port\n");
    }
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
