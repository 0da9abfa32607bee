package dev.gatehouse.localca;

import dev.gatehouse.store.FileStorage;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The Debian/Ubuntu system store (OpenSSL, curl, wget, Python's ssl module, and Java through Debian's
 * {@code ca-certificates-java} hook): the root as a {@code .crt} file in {@code /usr/local/share/ca-certificates},
 * then {@code update-ca-certificates} to rebuild {@code /etc/ssl/certs}.
 *
 * <p>Both places can be moved by environment variables, so that tests (and packagers building an image)
 * never change the machine they run on: {@value #ANCHORS_DIR_VARIABLE} names the anchors directory and
 * {@value #UPDATE_COMMAND_VARIABLE} the update command (split on spaces, no shell).
 */
final class SystemTrustStore implements TrustStore {

  static final String ANCHORS_DIR_VARIABLE = "GATEHOUSE_CA_CERTIFICATES_DIR";
  static final String UPDATE_COMMAND_VARIABLE = "GATEHOUSE_UPDATE_CA_CERTIFICATES";
  static final Path DEFAULT_ANCHORS_DIR = Path.of("/usr/local/share/ca-certificates");
  static final String DEFAULT_UPDATE_COMMAND = "update-ca-certificates";

  private final Path anchorsDir;
  private final List<String> updateCommand;
  private final String store;

  SystemTrustStore(Path anchorsDir, List<String> updateCommand) {
    this.anchorsDir = anchorsDir;
    this.updateCommand = updateCommand;
    this.store = "system store " + anchorsDir;
  }

  static SystemTrustStore fromEnvironment(Map<String, String> env) {
    Path dir = Path.of(env.getOrDefault(ANCHORS_DIR_VARIABLE, DEFAULT_ANCHORS_DIR.toString()));
    String update = env.getOrDefault(UPDATE_COMMAND_VARIABLE, DEFAULT_UPDATE_COMMAND);
    List<String> command = Arrays.stream(update.strip().split("\\s+")).toList();
    // update-ca-certificates lives in /usr/sbin, which is not on a normal user's PATH.
    if (command.equals(List.of(DEFAULT_UPDATE_COMMAND)) && !TrustTool.onPath(DEFAULT_UPDATE_COMMAND)
        && Files.isExecutable(Path.of("/usr/sbin", DEFAULT_UPDATE_COMMAND))) {
      command = List.of("/usr/sbin/" + DEFAULT_UPDATE_COMMAND);
    }
    return new SystemTrustStore(dir, command);
  }

  @Override
  public TrustChange install(LocalRoot root) {
    Path target = anchorsDir.resolve(root.anchorFileName());
    String finish = "sudo install -m 0644 " + root.pem() + " " + target + " && sudo " + DEFAULT_UPDATE_COMMAND;
    if (!Files.isDirectory(anchorsDir)) {
      return TrustChange.skipped(store, "no such directory (not Debian/Ubuntu?): add " + root.pem()
          + " to this system's trust store by hand");
    }
    try {
      byte[] pem = Files.readAllBytes(root.pem());
      if (Files.isRegularFile(target) && Arrays.equals(Files.readAllBytes(target), pem)) {
        return TrustChange.unchanged(store, "already has " + target.getFileName());
      }
      // FileStorage writes whole or not at all (temp file, fsync, rename) and leaves an existing directory as is.
      new FileStorage(anchorsDir).store(root.anchorFileName(), pem, false);
    } catch (AccessDeniedException e) {
      return TrustChange.needsUser(store, "no permission to write " + target, finish);
    } catch (IOException e) {
      return TrustChange.needsUser(store, "cannot write " + target + ": " + e.getMessage(), finish);
    }
    return update("added " + target.getFileName(), "sudo " + DEFAULT_UPDATE_COMMAND);
  }

  @Override
  public TrustChange uninstall(LocalRoot root) {
    Path target = anchorsDir.resolve(root.anchorFileName());
    if (!Files.exists(target)) {
      return TrustChange.unchanged(store, "has no " + target.getFileName());
    }
    try {
      Files.delete(target);
    } catch (AccessDeniedException e) {
      return TrustChange.needsUser(store, "no permission to remove " + target,
          "sudo rm " + target + " && sudo " + DEFAULT_UPDATE_COMMAND);
    } catch (IOException e) {
      return TrustChange.needsUser(store, "cannot remove " + target + ": " + e.getMessage(),
          "sudo rm " + target + " && sudo " + DEFAULT_UPDATE_COMMAND);
    }
    return update("removed " + target.getFileName(), "sudo " + DEFAULT_UPDATE_COMMAND);
  }

  /** Rebuilds the bundle after the anchor file changed. */
  private TrustChange update(String changed, String finish) {
    String command = String.join(" ", updateCommand);
    try {
      TrustTool.Result result = TrustTool.run(updateCommand);
      if (!result.ok()) {
        return TrustChange.needsUser(store, changed + ", but " + command + " exited with status "
            + result.exitCode() + ": " + result.lastLine(), finish);
      }
    } catch (IOException e) {
      return TrustChange.needsUser(store, changed + ", but cannot run " + command + ": " + e.getMessage(), finish);
    }
    return TrustChange.done(store, changed + " and ran " + command);
  }
}
