package dev.gatehouse.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code gatehouse generate ...} in-process the way Main does, capturing both streams. */
final class GenerateCli {

  record Result(int exitCode, String out, String err) {}

  private GenerateCli() {}

  static Result run(String... args) {
    CommandLine cl = GatehouseCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
