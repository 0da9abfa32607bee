package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.Curl;
import dev.gatehouse.testing.CurlResult;
import dev.gatehouse.testing.DjangoVersion;
import dev.gatehouse.testing.HttpProbe;
import dev.gatehouse.testing.ManagedProcess;
import dev.gatehouse.testing.TestDirs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The scripts of {@code generate gunicorn|uvicorn} start the test site on a Unix socket, and the server
 * itself (not Django's SECURE_PROXY_SSL_HEADER, switched off here) takes the scheme from the proxy's
 * X-Forwarded-Proto.
 */
class GenerateAppServerIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @EnumSource(DjangoVersion.class)
  void gunicornScriptServesOnAPrivateSocketAndBelievesTheProxy(DjangoVersion version, @TempDir Path work) throws Exception {
    Path socket = work.resolve("gunicorn.sock");
    Path script = work.resolve("gunicorn.sh");
    assertThat(GenerateCli.run("generate", "gunicorn", "--upstream", "unix:" + socket,
        "--app", "testsite.wsgi:application", "--output", script.toString()).exitCode()).isZero();

    try (ManagedProcess server = startScript(version, script, work)) {
      server.awaitReady("gunicorn answering on " + socket, Duration.ofSeconds(30), () -> HttpProbe.answers(socket, "/echo/"));

      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket)))
          .as("--umask 007: only owner and group may connect").isEqualTo("rwxrwx---");
      assertThat(isSecure(socket, "https")).isTrue();
      assertThat(isSecure(socket, null)).isFalse();
    }
  }

  @ParameterizedTest
  @EnumSource(DjangoVersion.class)
  void uvicornScriptServesOnASocketAndBelievesTheProxy(DjangoVersion version, @TempDir Path work) throws Exception {
    Path socket = work.resolve("uvicorn.sock");
    Path script = work.resolve("uvicorn.sh");
    assertThat(GenerateCli.run("generate", "uvicorn", "--upstream", "unix:" + socket,
        "--app", "testsite.asgi:application", "--output", script.toString()).exitCode()).isZero();

    try (ManagedProcess server = startScript(version, script, work)) {
      server.awaitReady("uvicorn answering on " + socket, Duration.ofSeconds(30), () -> HttpProbe.answers(socket, "/echo/"));

      assertThat(isSecure(socket, "https")).isTrue();
      assertThat(isSecure(socket, null)).isFalse();
    }
  }

  /**
   * Runs the generated script with {@code sh} from the project directory. {@code gunicorn} and {@code
   * uvicorn} on PATH run under the version's Python (Debian packages Uvicorn as a module only).
   */
  private static ManagedProcess startScript(DjangoVersion version, Path script, Path work) throws Exception {
    Path bin = Files.createDirectories(work.resolve("bin"));
    for (String server : List.of("gunicorn", "uvicorn")) {
      Path shim = bin.resolve(server);
      Files.writeString(shim, "#!/bin/sh\nexec " + version.python() + " -m " + server + " \"$@\"\n");
      Files.setPosixFilePermissions(shim, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Map<String, String> env = Map.of(
        "PATH", bin + ":/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE", "testsite.settings",
        "DJANGO_DB", work.resolve("db.sqlite3").toString(),
        "DJANGO_SECURE_PROXY_SSL_HEADER", "0",
        "PYTHONDONTWRITEBYTECODE", "1");
    return ManagedProcess.start(script.getFileName().toString(), List.of("sh", script.toString()), env,
        TestDirs.djangoProject(), work.resolve("server.log"));
  }

  private static boolean isSecure(Path socket, String forwardedProto) throws Exception {
    Curl curl = Curl.to("http://app.test/echo/").unixSocket(socket);
    if (forwardedProto != null) {
      curl.header("X-Forwarded-Proto", forwardedProto);
    }
    CurlResult r = curl.run();
    assertThat(r.status()).as(r + r.bodyText()).isEqualTo(200);
    return JSON.readTree(r.body()).get("is_secure").asBoolean();
  }
}
