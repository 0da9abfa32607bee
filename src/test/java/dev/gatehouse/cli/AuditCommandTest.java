package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code gatehouse audit} flag handling: one clear line and exit 2 for anything that keeps it from running. */
class AuditCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(Map<String, String> environment, String... args) {
    CommandLine command = new CommandLine(new AuditCommand(environment::get, Clock.systemUTC()));
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    return command.execute(args);
  }

  private int run(String... args) {
    return run(Map.of(), args);
  }

  private String firstErrorLine() {
    return err.toString().lines().findFirst().orElse("");
  }

  @Test
  void urlMustBeHttps() {
    assertThat(run("http://example.test/")).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo("URL 'http://example.test/': expected https://HOST[:PORT][/PATH], e.g. "
        + "https://example.com/ (the plain-HTTP side is probed on --http-port)");
    assertThat(run("example.test")).isEqualTo(2);
  }

  @Test
  void resolveNeedsHostColonIp() {
    assertThat(run("https://example.test/", "--resolve", "example.test")).isEqualTo(2);
    assertThat(firstErrorLine()).startsWith("--resolve 'example.test': expected HOST:IP");
    assertThat(run("https://example.test/", "--resolve", "example.test:localhost")).isEqualTo(2);
    assertThat(err.toString()).contains("--resolve 'example.test:localhost': 'localhost' is not an IP address");
  }

  @Test
  void formatFailOnPortsAndCrawlAreValidated() {
    assertThat(run("https://example.test/", "--format", "xml")).isEqualTo(2);
    assertThat(firstErrorLine()).isEqualTo("--format 'xml': expected text, json or junit");
    assertThat(run("https://example.test/", "--fail-on", "info")).isEqualTo(2);
    assertThat(err.toString()).contains("--fail-on 'info': expected warning or error");
    assertThat(run("https://example.test/", "--upstream-ports", "8000,http")).isEqualTo(2);
    assertThat(err.toString()).contains("--upstream-ports '8000,http': 'http' is not a port");
    assertThat(run("https://example.test/", "--http-port", "70000")).isEqualTo(2);
    assertThat(err.toString()).contains("--http-port 70000: expected a port 1-65535");
    assertThat(run("https://example.test/", "--crawl", "-1")).isEqualTo(2);
    assertThat(err.toString()).contains("--crawl -1: expected 0 or more pages");
    assertThat(run("https://example.test/", "--login-path", "admin/")).isEqualTo(2);
    assertThat(err.toString()).contains("--login-path 'admin/': expected a path starting with /");
  }

  @Test
  void loginTakesThePasswordFromTheNamedVariableOnly() {
    assertThat(run("https://example.test/", "--login", "admin")).isEqualTo(2);
    assertThat(firstErrorLine()).startsWith("--login 'admin': expected USER:PASS_ENV_VAR");
    assertThat(run(Map.of(), "https://example.test/", "--login", "admin:AUDIT_PASSWORD")).isEqualTo(2);
    assertThat(err.toString()).contains("--login 'admin:AUDIT_PASSWORD': environment variable AUDIT_PASSWORD is "
        + "not set or empty");
  }

  @Test
  void caFileMustExistAndHoldCertificates(@TempDir Path dir) throws IOException {
    Path notPem = Files.writeString(dir.resolve("ca.pem"), "hello\n");

    assertThat(run("https://example.test/", "--ca-file", dir.resolve("missing.pem").toString())).isEqualTo(2);
    assertThat(firstErrorLine()).startsWith("--ca-file " + dir.resolve("missing.pem") + ": no such readable file");
    assertThat(run("https://example.test/", "--ca-file", notPem.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--ca-file " + notPem + ": no certificate found");
  }

  @Test
  void nothingListeningMeansTheAuditCannotRun() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }

    int exit = run("https://nothing.example.test:" + closed + "/", "--resolve", "nothing.example.test:127.0.0.1");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().strip()).startsWith("gatehouse audit: cannot audit https://nothing.example.test:"
        + closed + "/: no TLS handshake with nothing.example.test at 127.0.0.1:" + closed)
        .contains("Connection refused");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void helpListsEveryFlag() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("--resolve=HOST:IP", "--http-port=N", "--ca-file=PEM", "--login-path=PATH",
        "--login=USER:PASS_ENV_VAR", "--crawl=N", "--upstream-ports=PORTS", "--format=text|json|junit",
        "--fail-on=warning|error");
  }
}
