package dev.gatehouse.cli;

import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.store.FileStorage;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** {@code --state-dir} of the {@code certs} commands: the same directory {@code serve} uses. */
final class CertsStateDir {

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description = "Keys, certificates and state, shared with serve (default: ${DEFAULT-VALUE}).")
  Path stateDir = ServeConfig.defaultStateDir();

  FileStorage open(CommandLine cl) {
    try {
      return new FileStorage(stateDir);
    } catch (IOException e) {
      throw new CommandLine.ParameterException(cl, "--state-dir: '" + stateDir + "' cannot be used ("
          + e.getMessage() + "; expected: a directory this user may create and write)");
    }
  }
}
