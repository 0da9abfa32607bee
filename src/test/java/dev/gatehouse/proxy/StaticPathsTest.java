package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticPathsTest {

  /** Ways of writing "go up" or "take this literally" that a naive join would follow. */
  static final List<String> TRAVERSAL_PROBES =
      List.of(
          "../secret.txt",
          "css/../../secret.txt",
          "%2e%2e/secret.txt",
          "%2E%2E/secret.txt",
          ".%2e/secret.txt",
          "css%2f..%2f..%2fsecret.txt",
          "%2e%2e%2fsecret.txt",
          "..%5csecret.txt",
          "..\\secret.txt",
          "css/%00.css",
          "app.css%00.txt",
          "./app.css",
          "css//app.css",
          "%c0%ae%c0%ae/secret.txt",
          "%2",
          "%zz");

  @Test
  void everyTraversalProbeIsRefusedBeforeTouchingTheFileSystem() {
    for (String probe : TRAVERSAL_PROBES) {
      assertThat(StaticPaths.segments(probe)).as(probe).isEmpty();
    }
  }

  @Test
  void ordinaryNamesDecode() {
    assertThat(StaticPaths.segments("css/app%20v2.css")).contains(List.of("css", "app v2.css"));
    assertThat(StaticPaths.segments("img/caf%C3%A9.png")).contains(List.of("img", "café.png"));
  }

  @Test
  void symlinkLeavingTheRootIsNotServed(@TempDir Path dir) throws IOException {
    Path root = Files.createDirectories(dir.resolve("static"));
    Files.writeString(dir.resolve("secret.txt"), "secret");
    Files.writeString(root.resolve("app.css"), "body{}");
    Files.createSymbolicLink(root.resolve("escape.txt"), dir.resolve("secret.txt"));
    Files.createSymbolicLink(root.resolve("up"), dir);
    Files.createSymbolicLink(root.resolve("inside.css"), root.resolve("app.css"));

    assertThat(StaticPaths.resolve(root, List.of("escape.txt"))).isEmpty();
    assertThat(StaticPaths.resolve(root, List.of("up", "secret.txt"))).isEmpty();
    assertThat(StaticPaths.resolve(root, List.of("inside.css"))).contains(root.toRealPath().resolve("app.css"));
    assertThat(StaticPaths.resolve(root, List.of("app.css"))).isPresent();
    assertThat(StaticPaths.resolve(root, List.of("missing.css"))).isEmpty();
  }

  @Test
  void directoriesAreNotServed(@TempDir Path root) throws IOException {
    Files.createDirectories(root.resolve("css"));

    assertThat(StaticPaths.resolve(root, List.of("css"))).isEmpty();
  }
}
