package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expected outputs under {@code src/test/resources/generate/SCENARIO/}. A test compares what it produced
 * with them byte for byte. After an intended change, regenerate them with
 * {@code mvn -o test -Dtest='GenerateGoldenTest' -Dgatehouse.updateGolden=true} and review the diff in git.
 */
final class GoldenFiles {
  private GoldenFiles() {}

  static final Path ROOT = Path.of("src", "test", "resources", "generate");

  static boolean updating() {
    return Boolean.getBoolean("gatehouse.updateGolden");
  }

  /** Asserts that {@code actualDir} holds exactly the scenario's files with exactly their bytes. */
  static void assertMatches(String scenario, Path actualDir) throws IOException {
    Path expectedDir = ROOT.resolve(scenario);
    if (updating()) {
      Files.createDirectories(expectedDir);
      for (Path old : list(expectedDir)) {
        Files.delete(old);
      }
      for (Path f : list(actualDir)) {
        Files.copy(f, expectedDir.resolve(f.getFileName()));
      }
    }
    assertThat(names(actualDir))
        .as("files of scenario %s (regenerate with -Dgatehouse.updateGolden=true)", scenario)
        .isEqualTo(names(expectedDir));
    for (Path expected : list(expectedDir)) {
      String want = Files.readString(expected, StandardCharsets.UTF_8);
      String got = Files.readString(actualDir.resolve(expected.getFileName()), StandardCharsets.UTF_8);
      assertThat(got)
          .as("%s/%s differs from the golden file (regenerate with -Dgatehouse.updateGolden=true)", scenario, expected.getFileName())
          .isEqualTo(want);
    }
  }

  private static List<Path> list(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }

  private static List<String> names(Path dir) throws IOException {
    return list(dir).stream().map(p -> p.getFileName().toString()).toList();
  }
}
