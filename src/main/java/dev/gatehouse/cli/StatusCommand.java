package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.config.AdminListener;
import dev.gatehouse.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gatehouse status}: the status page of a running {@code serve}, read from its admin listener's
 * {@code /status.json}, on a terminal. Exits 1 when a certificate needs attention (inside its last tenth of
 * lifetime, or its last renewal failed) or the server cannot be asked, so cron or a monitoring agent can run it.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Certificates, HSTS stages, upstreams and recent errors of a running serve, from its --admin listener.",
      "Exit status: 0 all well; 1 a certificate is in its last tenth of lifetime or its last renewal failed, or"
          + " the server did not answer; 2 a bad flag."
    })
final class StatusCommand implements Callable<Integer> {

  /** The address {@code --admin} examples use; {@code serve} has no admin listener unless given one. */
  static final String DEFAULT_ADMIN = "127.0.0.1:9180";

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--admin", paramLabel = "[ADDR:]PORT", description = "The serve's --admin listener (default " + DEFAULT_ADMIN + ").")
  String admin = DEFAULT_ADMIN;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    AdminListener where;
    try {
      where = AdminListener.parse("--admin", admin);
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    URI uri = URI.create("http://" + where.authority() + "/status.json");
    JsonNode status;
    try {
      HttpResponse<String> response =
          HttpClient.newBuilder().connectTimeout(TIMEOUT).build().send(
              HttpRequest.newBuilder(uri).timeout(TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        err.println("gatehouse status: " + uri + " answered " + response.statusCode()
            + " (expected: the admin listener of gatehouse serve --admin " + where.authority() + ")");
        return 1;
      }
      status = JSON.readTree(response.body());
    } catch (IOException e) {
      err.println("gatehouse status: cannot read " + uri + " (" + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage())
          + "); is gatehouse serve running with --admin " + where.authority() + "?");
      return 1;
    }
    StatusText.print(status, out);
    out.flush();
    return status.path("needs_attention").asBoolean(true) ? 1 : 0;
  }
}
