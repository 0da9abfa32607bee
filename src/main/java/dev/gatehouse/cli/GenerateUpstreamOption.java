package dev.gatehouse.cli;

import static dev.gatehouse.cli.GenerateSiteOptions.check;

import dev.gatehouse.config.Upstream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code --upstream}, required by every target that talks to the app server. */
final class GenerateUpstreamOption {

  @Option(names = "--upstream", paramLabel = "unix:/PATH|HOST:PORT", description = "Where Gunicorn or Uvicorn listens.")
  String upstream;

  Upstream upstream(CommandSpec spec) {
    if (upstream == null) {
      throw new ParameterException(spec.commandLine(), "--upstream: missing (expected: " + Upstream.EXPECTED + ")");
    }
    return check(spec, () -> Upstream.parse("--upstream", upstream));
  }
}
