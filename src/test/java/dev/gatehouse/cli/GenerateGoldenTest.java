package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every generator against its golden files, through the command line a user types. A scenario is a
 * directory of expected files; each command writes into the same output directory.
 */
class GenerateGoldenTest {

  /** The classic deployment: two names, Gunicorn on a socket, static and media, every default. */
  private static final String[] CLASSIC = {
    "example.com", "www.example.com", "--upstream", "unix:/run/gunicorn.sock",
    "--static", "/static/=/srv/app/staticfiles", "--static", "/media/=/srv/app/media"
  };

  /** Uvicorn on TCP, one address, high ports, a year of HSTS with preload, a small body limit. */
  private static final String[] HIGH_PORTS = {
    "app.example.org", "--upstream", "127.0.0.1:8000", "--bind", "127.0.0.1", "--http-port", "8080",
    "--https-port", "8443", "--hsts", "31536000", "--hsts-include-subdomains", "--hsts-preload",
    "--max-body", "512K"
  };

  /** A wildcard and its apex, HSTS off, an IPv6 upstream. */
  private static final String[] WILDCARD_NO_HSTS = {
    "*.example.net", "example.net", "--upstream", "http://[::1]:9000", "--hsts", "off",
    "--static", "/assets=/opt/site/assets/"
  };

  static Stream<Arguments> scenarios() {
    return Stream.of(
        Arguments.of(
            "classic",
            List.of(
                cmd("nginx", CLASSIC),
                cmd("caddy", CLASSIC),
                cmd("django", "example.com", "www.example.com"),
                cmd("gunicorn", "--upstream", "unix:/run/gunicorn.sock"),
                cmd("uvicorn", "--upstream", "unix:/run/gunicorn.sock", "--app", "mysite.asgi:application"),
                cmd("systemd", CLASSIC))),
        Arguments.of(
            "high-ports",
            List.of(
                cmd("nginx", concat(HIGH_PORTS, "--nginx-version", "1.25.1", "--webroot", "/srv/acme",
                    "--cert-dir", "/var/lib/gatehouse/live")),
                cmd("caddy", HIGH_PORTS),
                cmd("django", "app.example.org", "--https-port", "8443", "--hsts", "31536000",
                    "--hsts-include-subdomains", "--hsts-preload"),
                cmd("gunicorn", "--upstream", "127.0.0.1:8000", "--app", "shop.wsgi:application"),
                cmd("uvicorn", "--upstream", "127.0.0.1:8000", "--app", "shop.asgi:application"),
                cmd("systemd", concat(HIGH_PORTS, "--gatehouse-bin", "/opt/gatehouse/bin/gatehouse")))),
        Arguments.of(
            "wildcard-no-hsts",
            List.of(
                cmd("nginx", WILDCARD_NO_HSTS),
                cmd("caddy", WILDCARD_NO_HSTS),
                cmd("django", "*.example.net", "example.net", "--hsts", "off"))),
        Arguments.of(
            "http-only",
            List.of(cmd("nginx", concat(CLASSIC, "--http-only")))),
        Arguments.of(
            "renewal",
            List.of(cmd("systemd", "--renewal"))),
        Arguments.of(
            "renewal-custom",
            List.of(
                cmd("systemd", "--renewal", "--gatehouse-bin", "/opt/gatehouse/bin/gatehouse",
                    "--state-dir", "/srv/gatehouse", "--deploy-hook", "/usr/sbin/nginx -s reload"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void outputMatchesGoldenFiles(String scenario, List<List<String>> commands, @TempDir Path out) throws Exception {
    for (List<String> command : commands) {
      List<String> args = new ArrayList<>(command);
      args.addAll(List.of("--output-dir", out.toString()));
      GenerateCli.Result r = GenerateCli.run(args.toArray(String[]::new));
      assertThat(r.exitCode()).as("%s: %s", command, r.err()).isZero();
      assertThat(r.err()).isEmpty();
    }
    GoldenFiles.assertMatches(scenario, out);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("scenarios")
  void standardOutputIsTheSameText(String scenario, List<List<String>> commands) throws Exception {
    for (List<String> command : commands) {
      GenerateCli.Result r = GenerateCli.run(command.toArray(String[]::new));
      assertThat(r.exitCode()).as("%s: %s", command, r.err()).isZero();
      try (Stream<Path> files = Files.list(GoldenFiles.ROOT.resolve(scenario))) {
        List<Path> golden = files.toList();
        assertThat(golden.stream().anyMatch(g -> r.out().contains(read(g))))
            .as("stdout of %s is one of the golden files of %s", command, scenario)
            .isTrue();
      }
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> cmd(String target, String... args) {
    List<String> c = new ArrayList<>(List.of("generate", target));
    c.addAll(List.of(args));
    return c;
  }

  private static String[] concat(String[] a, String... b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }
}
