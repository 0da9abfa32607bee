package dev.gatehouse.localca;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One NSS database, changed with {@code certutil} (Debian's {@code libnss3-tools}): Chromium's and Chrome's
 * on Linux ({@code ~/.pki/nssdb}, shared by every profile) or a Firefox profile's ({@code cert9.db} in the
 * profile directory). The root goes in with trust {@code C,,}: a CA trusted to identify TLS servers only,
 * not for e-mail or code signing.
 */
final class NssTrustStore implements TrustStore {

  static final String CERTUTIL = "certutil";
  private static final String TRUST_SERVERS_ONLY = "C,,";

  private final String store;
  private final Path database;
  private final boolean createIfMissing;

  private NssTrustStore(String store, Path database, boolean createIfMissing) {
    this.store = store;
    this.database = database;
    this.createIfMissing = createIfMissing;
  }

  /**
   * Chromium/Chrome's database, and every Firefox profile's (Debian's package and the snap). Chromium
   * creates {@code ~/.pki/nssdb} only when it first needs it, so install creates it when missing: the
   * browser opens an existing one as it would its own.
   */
  static List<NssTrustStore> under(Path home) {
    List<NssTrustStore> stores = new ArrayList<>();
    Path chromium = home.resolve(".pki/nssdb");
    stores.add(new NssTrustStore("Chromium/Chrome NSS database " + chromium, chromium, true));
    for (Path profiles : List.of(
        home.resolve(".mozilla/firefox"), home.resolve("snap/firefox/common/.mozilla/firefox"))) {
      if (!Files.isDirectory(profiles)) {
        continue;
      }
      try (DirectoryStream<Path> dirs = Files.newDirectoryStream(profiles)) {
        for (Path profile : dirs) {
          if (Files.isRegularFile(profile.resolve("cert9.db"))) {
            stores.add(new NssTrustStore("Firefox profile " + profile, profile, false));
          }
        }
      } catch (IOException e) {
        // An unreadable profiles directory holds no profile we could change either.
      }
    }
    return stores;
  }

  @Override
  public TrustChange install(LocalRoot root) {
    String add = CERTUTIL + " -d sql:" + database + " -A -t " + TRUST_SERVERS_ONLY + " -n " + root.alias() + " -i "
        + root.pem();
    if (!TrustTool.onPath(CERTUTIL)) {
      String create = Files.isRegularFile(database.resolve("cert9.db")) ? ""
          : "mkdir -p " + database + " && " + CERTUTIL + " -d sql:" + database + " -N --empty-password && ";
      return TrustChange.needsUser(store, CERTUTIL + " is not installed",
          "sudo apt-get install libnss3-tools && " + create + add);
    }
    try {
      if (!Files.isRegularFile(database.resolve("cert9.db"))) {
        if (!createIfMissing) {
          return TrustChange.skipped(store, "no cert9.db");
        }
        Files.createDirectories(database);
        TrustTool.Result created = certutil("-N", "--empty-password");
        if (!created.ok()) {
          return TrustChange.needsUser(store, "cannot create it: " + created.lastLine(),
              CERTUTIL + " -d sql:" + database + " -N --empty-password && " + add);
        }
      }
      if (has(root)) {
        return TrustChange.unchanged(store, "already trusts " + root.alias());
      }
      TrustTool.Result added = certutil("-A", "-t", TRUST_SERVERS_ONLY, "-n", root.alias(), "-i", root.pem().toString());
      if (!added.ok()) {
        return TrustChange.needsUser(store, "certutil failed: " + added.lastLine(), add);
      }
      return TrustChange.done(store, "added " + root.alias());
    } catch (IOException e) {
      return TrustChange.needsUser(store, e.getMessage(), add);
    }
  }

  @Override
  public TrustChange uninstall(LocalRoot root) {
    String delete = CERTUTIL + " -d sql:" + database + " -D -n " + root.alias();
    if (!Files.isRegularFile(database.resolve("cert9.db"))) {
      return TrustChange.skipped(store, "no cert9.db");
    }
    if (!TrustTool.onPath(CERTUTIL)) {
      return TrustChange.needsUser(store, CERTUTIL + " is not installed", "sudo apt-get install libnss3-tools && "
          + delete);
    }
    try {
      if (!has(root)) {
        return TrustChange.unchanged(store, "has no " + root.alias());
      }
      TrustTool.Result deleted = certutil("-D", "-n", root.alias());
      if (!deleted.ok()) {
        return TrustChange.needsUser(store, "certutil failed: " + deleted.lastLine(), delete);
      }
      return TrustChange.done(store, "removed " + root.alias());
    } catch (IOException e) {
      return TrustChange.needsUser(store, e.getMessage(), delete);
    }
  }

  private boolean has(LocalRoot root) throws IOException {
    return certutil("-L", "-n", root.alias()).ok();
  }

  private TrustTool.Result certutil(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(CERTUTIL, "-d", "sql:" + database));
    command.addAll(List.of(args));
    return TrustTool.run(command);
  }
}
