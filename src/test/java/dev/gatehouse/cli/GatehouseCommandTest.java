package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GatehouseCommandTest {

  @TempDir Path dir;

  private record Run(int exitCode, String out, String err) {}

  private static Run run(CommandLine cl, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void serveGetsACommandLineWithServeAlone() {
    assertThat(GatehouseCommand.commandLineFor("serve", "example.com").getSubcommands()).containsOnlyKeys("serve");
  }

  @Test
  void everyOtherCommandLineHasEverySubcommand() {
    for (String[] args : new String[][] {{}, {"--help"}, {"help", "serve"}, {"certs", "list"}, {"servee"}}) {
      assertThat(GatehouseCommand.commandLineFor(args).getSubcommands())
          .containsOnlyKeys("serve", "dev", "certs", "audit", "generate", "nginx", "ca", "train-startup", "help");
    }
  }

  @Test
  void theLaunchersTrainingCommandIsNotInTheHelp() {
    Run help = run(GatehouseCommand.commandLine(), "--help");
    assertThat(help.out()).contains("serve", "audit").doesNotContain("train-startup");
  }

  @Test
  void serveAnswersBadFlagsAndHelpExactlyAsTheFullCommandLine() {
    String state = dir.resolve("state").toString();
    String[][] cases = {
      {"serve", "--help"},
      {"serve", "--bogus"},
      {"serve", "--https-port", "70000", "--state-dir", state},
      {"serve", "--hsts", "sometimes", "--state-dir", state},
      {"serve", "--tls-cert", dir.resolve("missing.pem").toString(), "--state-dir", state},
    };
    for (String[] args : cases) {
      Run full = run(GatehouseCommand.commandLine(), args);
      Run serveOnly = run(GatehouseCommand.commandLineFor(args), args);
      assertThat(serveOnly).as(String.join(" ", args)).isEqualTo(full);
    }
    assertThat(run(GatehouseCommand.commandLineFor("serve", "--bogus"), "serve", "--bogus"))
        .satisfies(r -> assertThat(r.exitCode()).isEqualTo(GatehouseCommand.EXIT_USAGE))
        .satisfies(r -> assertThat(r.err()).startsWith("gatehouse serve: Unknown option: '--bogus'"));
  }

  @Test
  void aNegativeOrUnparsableDurationIsAUsageErrorOfOneLineNamingTheFlag() {
    String state = dir.resolve("state").toString();
    List<String> flags = List.of("--upstream-timeout", "--header-read-timeout", "--body-idle-timeout",
        "--keep-alive-timeout", "--tls-handshake-timeout", "--write-timeout");
    for (String flag : flags) {
      for (String bad : List.of("-1s", "-5m", "soon")) {
        // A bad flag checked later as a trip wire: had the duration passed, serve would stop there, not start.
        Run r = run(GatehouseCommand.commandLine(), "serve", "localhost", "--state-dir", state, flag, bad,
            "--trusted-proxy", "not-a-cidr");
        assertThat(r.exitCode()).as("%s %s: %s", flag, bad, r.err()).isEqualTo(GatehouseCommand.EXIT_USAGE);
        assertThat(r.err().lines().toList()).singleElement(InstanceOfAssertFactories.STRING)
            .startsWith("gatehouse serve: " + flag + ": '" + bad + "' is not valid (expected: a duration from ");
        assertThat(r.out()).isEmpty();
      }
    }
  }
}
