package dev.gatehouse.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.cli.AuditCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import picocli.CommandLine;

/**
 * {@code gatehouse audit URL --resolve … --ca-file … --format json --fail-on warning [flags]} against a
 * {@link NginxDjangoDeployment}, run in-process as a CI job runs the command: its exit status and its JSON report.
 *
 * @param exit the exit status: 0 clean, 1 a warning or worse
 * @param report the JSON report
 * @param output standard output and error, for failure messages
 */
record AuditCli(int exit, JsonNode report, String output) {
  private static final ObjectMapper JSON = new ObjectMapper();

  static AuditCli run(NginxDjangoDeployment deployment, String path, String... flags) {
    List<String> args = new ArrayList<>(List.of(deployment.url(path).toString(),
        "--resolve", NginxDjangoDeployment.HOST + ":127.0.0.1", "--http-port", Integer.toString(deployment.httpPort),
        "--ca-file", deployment.caFile.toString(), "--format", "json", "--fail-on", "warning"));
    args.addAll(List.of(flags));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new AuditCommand(Map.<String, String>of()::get, Clock.systemUTC()));
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exit = command.execute(args.toArray(String[]::new));
    try {
      return new AuditCli(exit, JSON.readTree(out.toString()), out + "\n" + err);
    } catch (IOException e) {
      throw new UncheckedIOException("not a JSON report:\n" + out + "\n" + err, e);
    }
  }

  /** The findings of {@code checkId} with {@code severity} ({@code error}, {@code warning}, …). */
  List<JsonNode> findings(String checkId, String severity) {
    return StreamSupport.stream(report.get("checks").spliterator(), false)
        .filter(check -> check.get("id").asText().equals(checkId))
        .flatMap(check -> StreamSupport.stream(check.get("findings").spliterator(), false))
        .filter(finding -> finding.get("severity").asText().equals(severity))
        .toList();
  }

  /** Asserts exit 1 and a finding of {@code checkId} with {@code severity} whose message has {@code part}. */
  JsonNode assertFails(String checkId, String severity, String messagePart) {
    assertThat(exit).as(output).isEqualTo(1);
    List<JsonNode> matching = findings(checkId, severity).stream()
        .filter(f -> f.get("message").asText().contains(messagePart)).toList();
    assertThat(matching).as(checkId + " " + severity + " '" + messagePart + "' in\n" + output).isNotEmpty();
    return matching.get(0);
  }

  /** Asserts exit 0: no warning, no error. */
  void assertClean() {
    assertThat(exit).as(output).isZero();
    assertThat(report.get("summary").get("warning").asInt()).as(output).isZero();
  }
}
