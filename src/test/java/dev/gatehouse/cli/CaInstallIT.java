package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.ManagedProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse ca install} where a store cannot be changed: the line for that store gives the exact
 * command that finishes the job, the others are still done, and the exit status is 1.
 */
class CaInstallIT {

  @TempDir Path temp;

  @Test
  void withoutCertutilItPrintsTheCommandsThatFinishTheJob() throws Exception {
    Path home = Files.createDirectories(temp.resolve("home"));
    Path anchors = Files.createDirectories(temp.resolve("anchors"));
    Path emptyPath = Files.createDirectories(temp.resolve("bin"));
    Path state = temp.resolve("state");
    Map<String, String> env = Map.of("HOME", home.toString(), "PATH", emptyPath.toString(),
        "GATEHOUSE_CA_CERTIFICATES_DIR", anchors.toString(), "GATEHOUSE_UPDATE_CA_CERTIFICATES", "/bin/true");

    ManagedProcess.Result install = GatehouseProcess.run(temp, env, Duration.ofSeconds(120),
        List.of("ca", "install", "--state-dir", state.toString()));

    assertThat(install.exitCode()).as(install.output()).isEqualTo(1);
    String alias = Files.list(anchors).findFirst().orElseThrow().getFileName().toString().replace(".crt", "");
    Path nssdb = home.resolve(".pki/nssdb");
    Path root = state.resolve("localca/root.pem");
    assertThat(install.output())
        .contains("system store " + anchors + ": added " + alias + ".crt and ran /bin/true")
        .contains("Chromium/Chrome NSS database " + nssdb + ": certutil is not installed\n"
            + "    to finish, run: sudo apt-get install libnss3-tools && mkdir -p " + nssdb + " && certutil -d sql:"
            + nssdb + " -N --empty-password && certutil -d sql:" + nssdb + " -A -t C,, -n " + alias + " -i " + root);

    // The printed command, run as printed (without the package install), does what install could not.
    String finish = install.output().lines().filter(l -> l.contains("to finish, run:")).findFirst().orElseThrow();
    String command = finish.substring(finish.indexOf("mkdir -p "));
    ManagedProcess.run(List.of("/bin/sh", "-c", command), Map.of(), temp, Duration.ofSeconds(60)).orThrow(command);
    assertThat(ManagedProcess.run(List.of("certutil", "-L", "-d", "sql:" + nssdb), Map.of(), temp,
        Duration.ofSeconds(60)).orThrow("certutil -L")).contains(alias);
  }
}
