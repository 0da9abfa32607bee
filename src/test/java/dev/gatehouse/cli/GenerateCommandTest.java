package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GenerateCommandTest {

  static Stream<Arguments> badInput() {
    return Stream.of(
        Arguments.of(new String[] {"generate"}, "a target is needed: nginx, caddy"),
        Arguments.of(new String[] {"generate", "nginx", "--upstream", "unix:/s"}, "DOMAIN: at least one name"),
        Arguments.of(new String[] {"generate", "nginx", "a.test"}, "--upstream: missing (expected: unix:/path"),
        Arguments.of(new String[] {"generate", "nginx", "a.test", "--upstream", "https://app:8000"}, "--upstream: 'https://app:8000'"),
        Arguments.of(new String[] {"generate", "nginx", "bad_name!", "--upstream", "unix:/s"}, "DOMAIN: 'bad_name!'"),
        Arguments.of(new String[] {"generate", "nginx", "a.test", "--upstream", "unix:/s", "--static", "static"}, "--static: 'static'"),
        Arguments.of(new String[] {"generate", "nginx", "a.test", "--upstream", "unix:/s", "--static", "/s/=/my dir"}, "--static: '/my dir' is not valid (expected: a path of"),
        Arguments.of(new String[] {"generate", "nginx", "a.test", "--upstream", "unix:/s", "--static", "/=/srv"}, "--static: '/=/srv'"),
        Arguments.of(new String[] {"generate", "nginx", "a.test", "--upstream", "unix:/s", "--webroot", "/var/$www"}, "--webroot: '/var/$www'"),
        Arguments.of(new String[] {"generate", "nginx", "a.test", "--upstream", "unix:/s", "--hsts", "forever"}, "--hsts: 'forever' is not valid (expected: off, ramp or a number of seconds)"),
        Arguments.of(new String[] {"generate", "nginx", "a.test", "--upstream", "unix:/s", "--max-body", "lots"}, "--max-body: 'lots'"),
        Arguments.of(new String[] {"generate", "nginx", "a.test", "--upstream", "unix:/s", "--https-port", "70000"}, "--https-port: '70000' is not valid (expected: a port from 1 to 65535)"),
        Arguments.of(new String[] {"generate", "nginx", "a.test", "--upstream", "unix:/s", "--http-port", "8443", "--https-port", "8443"}, "--http-port and --https-port: both are 8443"),
        Arguments.of(new String[] {"generate", "nginx", "a.test", "--upstream", "unix:/s", "--bind", "localhost"}, "--bind: 'localhost'"),
        Arguments.of(new String[] {"generate", "nginx", "a.test", "--upstream", "unix:/s", "--nginx-version", "latest"}, "--nginx-version: 'latest'"),
        Arguments.of(new String[] {"generate", "django", "a.test", "--hsts", "300", "--hsts-include-subdomains", "--hsts-preload"}, "--hsts-preload needs --hsts of at least 31536000"),
        Arguments.of(new String[] {"generate", "gunicorn", "--upstream", "unix:/s", "--app", "x;rm -rf /"}, "--app: 'x;rm -rf /'"),
        Arguments.of(new String[] {"generate", "systemd", "--renewal", "--deploy-hook", "nginx -s \"reload\""}, "--deploy-hook: 'nginx -s \"reload\"'"),
        Arguments.of(new String[] {"generate", "systemd", "--renewal", "--output", "/tmp/x"}, "--output: this writes 2 files (gatehouse-renew.service, gatehouse-renew.timer), use --output-dir DIR"),
        Arguments.of(new String[] {"generate", "caddy", "a.test", "--upstream", "unix:/s", "--output", "/nonexistent/dir/Caddyfile"}, "--output: '/nonexistent/dir' is not a directory"));
  }

  @ParameterizedTest
  @MethodSource("badInput")
  void badInputIsOneLineNamingTheFlagWithExitStatus2(String[] args, String message) {
    GenerateCli.Result r = GenerateCli.run(args);
    assertThat(r.exitCode()).isEqualTo(GatehouseCommand.EXIT_USAGE);
    assertThat(r.out()).isEmpty();
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).startsWith("gatehouse ").contains(message);
  }

  @Test
  void outputReplacesTheFileAtomicallyReadableByNginx(@TempDir Path dir) throws Exception {
    Path target = dir.resolve("site.conf");
    Files.writeString(target, "old contents\n");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));

    String[] args = {"generate", "nginx", "a.test", "--upstream", "unix:/run/app.sock"};
    GenerateCli.Result printed = GenerateCli.run(args);
    GenerateCli.Result written =
        GenerateCli.run("generate", "nginx", "a.test", "--upstream", "unix:/run/app.sock", "--output", target.toString());

    assertThat(written.exitCode()).isZero();
    assertThat(written.out()).isEmpty();
    assertThat(Files.readString(target)).isEqualTo(printed.out()).contains("server_name a.test;");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactly("site.conf");
    }
  }

  @Test
  void severalFilesOnStandardOutputAreEachHeadedByTheirName() {
    GenerateCli.Result r = GenerateCli.run("generate", "systemd", "--renewal");
    assertThat(r.exitCode()).isZero();
    assertThat(r.out())
        .startsWith("### gatehouse-renew.service\n")
        .contains("\n### gatehouse-renew.timer\n# Runs gatehouse-renew.service", "\n[Timer]\n");
  }
}
