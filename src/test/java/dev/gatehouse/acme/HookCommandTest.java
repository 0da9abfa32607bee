package dev.gatehouse.acme;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookCommandTest {

  @TempDir Path dir;

  @Test
  void argumentsArriveAsTheyAreWithoutShellInterpretation() throws Exception {
    Path out = dir.resolve("args");
    new HookCommand("--dns-hook", "printf '%s|' \"$HOOK_ENV\" >" + out + "; printf '%s|'", Duration.ofSeconds(10))
        .run(List.of("present", "_acme-challenge.example.com.", "$(touch " + dir.resolve("pwned") + ")"),
            Map.of("HOOK_ENV", "env"));
    assertThat(Files.readString(out)).isEqualTo("env|");
    assertThat(dir.resolve("pwned")).doesNotExist();
  }

  @Test
  void aFailingHookNamesTheFlagTheCallTheStatusAndItsLastLine() {
    assertThatThrownBy(() -> new HookCommand("--deploy-hook", "echo starting; echo 'no zone example.com' >&2; exit 3",
            Duration.ofSeconds(10)).run(List.of("cleanup", "x."), Map.of()))
        .isInstanceOf(IOException.class)
        .hasMessage("--deploy-hook 'echo starting; echo 'no zone example.com' >&2; exit 3 cleanup x.' exited with"
            + " status 3: no zone example.com");
  }

  @Test
  void aHangingHookIsKilledAtItsTimeout() {
    assertThatThrownBy(() -> new HookCommand("--dns-hook", "sleep 30", Duration.ofMillis(300)).run(List.of(), Map.of()))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("did not finish within");
  }

  @Test
  void theDnsRecordNameDropsTheWildcardAndEndsWithADot() {
    assertThat(Dns01HookSolver.recordName("*.example.com")).isEqualTo("_acme-challenge.example.com.");
    assertThat(Dns01HookSolver.recordName("www.example.com")).isEqualTo("_acme-challenge.www.example.com.");
  }
}
