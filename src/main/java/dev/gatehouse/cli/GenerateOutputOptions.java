package dev.gatehouse.cli;

import dev.gatehouse.generate.GeneratedFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Where {@code generate} puts what it made: standard output, one file, or a directory. */
final class GenerateOutputOptions {

  @Option(names = "--output", paramLabel = "FILE", description = "Write to FILE (atomically) instead of standard output.")
  Path output;

  @Option(names = "--output-dir", paramLabel = "DIR", description = "Write each file under its usual name in DIR.")
  Path outputDir;

  /** Writes the files where asked; returns the exit status. */
  int emit(CommandSpec spec, List<GeneratedFile> files) {
    if (output != null && outputDir != null) {
      throw new ParameterException(spec.commandLine(), "--output and --output-dir: give one of them, not both");
    }
    PrintWriter out = spec.commandLine().getOut();
    try {
      if (output != null) {
        if (files.size() != 1) {
          throw new ParameterException(
              spec.commandLine(),
              "--output: this writes "
                  + files.size()
                  + " files ("
                  + files.stream().map(GeneratedFile::name).collect(Collectors.joining(", "))
                  + "), use --output-dir DIR");
        }
        Path target = output.toAbsolutePath();
        requireDirectory(spec, "--output", target.getParent());
        files.get(0).writeTo(target);
        return 0;
      }
      if (outputDir != null) {
        requireDirectory(spec, "--output-dir", outputDir.toAbsolutePath());
        for (GeneratedFile f : files) {
          f.writeTo(outputDir.toAbsolutePath().resolve(f.name()));
          out.println(outputDir.resolve(f.name()));
        }
        out.flush();
        return 0;
      }
    } catch (IOException e) {
      spec.commandLine().getErr().println("gatehouse generate: cannot write: " + e.getMessage());
      return 1;
    }
    if (files.size() == 1) {
      out.print(files.get(0).content());
    } else {
      for (int i = 0; i < files.size(); i++) {
        out.print((i == 0 ? "" : "\n") + "### " + files.get(i).name() + "\n" + files.get(i).content());
      }
    }
    out.flush();
    return 0;
  }

  private static void requireDirectory(CommandSpec spec, String flag, Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      throw new ParameterException(spec.commandLine(), flag + ": '" + dir + "' is not a directory (expected: an existing directory)");
    }
  }
}
