package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.TestDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The test site's settings with the output of {@code gatehouse generate django} appended, the way the
 * snippet's header tells users to: a settings module that star-imports the site's settings, then the
 * snippet. {@link #env()} makes a {@code DjangoApp} or a {@code python -c} use it.
 */
final class GeneratedDjangoSettings {

  static final String MODULE = "gatehouse_test_settings";

  private final Path dir;

  private GeneratedDjangoSettings(Path dir) {
    this.dir = dir;
  }

  /** Runs {@code gatehouse generate django DOMAIN... ARGS} into {@code dir} and writes the wrapper module. */
  static GeneratedDjangoSettings write(Path dir, String... generateArgs) throws IOException {
    List<String> args = new ArrayList<>(List.of("generate", "django"));
    args.addAll(List.of(generateArgs));
    args.addAll(List.of("--output", dir.resolve("gatehouse_settings.py").toString()));
    GenerateCli.Result r = GenerateCli.run(args.toArray(String[]::new));
    assertThat(r.exitCode()).as(r.err()).isZero();
    Files.writeString(
        dir.resolve(MODULE + ".py"),
        "from testsite.settings import *  # noqa: F401,F403\nfrom gatehouse_settings import *  # noqa: F401,F403\n");
    return new GeneratedDjangoSettings(dir);
  }

  /** Environment for a Django process: this module as settings, found before the test project. */
  Map<String, String> env() {
    return Map.of(
        "DJANGO_SETTINGS_MODULE", MODULE, "PYTHONPATH", dir + ":" + TestDirs.djangoProject());
  }
}
