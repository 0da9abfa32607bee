package dev.gatehouse.cli;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.store.FileStorage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredHstsRampStateTest {

  @TempDir Path stateDir;

  @Test
  void withoutAStoreTheStageStaysInTheFileEarlierVersionsWrote() throws Exception {
    Path file = Files.createDirectories(stateDir.resolve("state")).resolve("hsts.json");
    Files.writeString(file, "{\"app.test\": \"2025-01-01T00:00:00Z\"}");
    StoredHstsRampState state = new StoredHstsRampState(new FileStorage(stateDir));

    assertThat(state.load()).map(b -> new String(b, UTF_8)).contains("{\"app.test\": \"2025-01-01T00:00:00Z\"}");
    state.save("{}".getBytes(UTF_8));
    assertThat(file).hasContent("{}");
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files).containsExactly(file);
    }
  }
}
