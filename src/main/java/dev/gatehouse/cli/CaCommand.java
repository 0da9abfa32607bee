package dev.gatehouse.cli;

import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.localca.LocalCaIssuer;
import dev.gatehouse.localca.LocalCaTrust;
import dev.gatehouse.localca.LocalRoot;
import dev.gatehouse.localca.TrustChange;
import dev.gatehouse.store.FileStorage;
import dev.gatehouse.store.StorageKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse ca}: the local CA that signs certificates for localhost-like names. */
@Command(
    name = "ca",
    mixinStandardHelpOptions = true,
    description = "The local CA that signs certificates for localhost, *.localhost, 127.0.0.1 and ::1.",
    subcommands = {CaCommand.Root.class, CaCommand.Install.class, CaCommand.Uninstall.class})
public final class CaCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed: root, install or uninstall (see --help)");
  }

  /** {@code gatehouse ca root}: where the root is and how to make each kind of client trust it. */
  @Command(
      name = "root",
      mixinStandardHelpOptions = true,
      description = {
        "Print the path of the local CA's root certificate (first line) and how to trust it.",
        "Creates the root if serve has not yet."
      })
  static final class Root implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--state-dir",
        paramLabel = "DIR",
        description = "Where keys, certificates and state live (default: ${DEFAULT-VALUE}).")
    Path stateDir = ServeConfig.defaultStateDir();

    @Override
    public Integer call() {
      Optional<LocalRoot> root = loadRoot(spec, stateDir);
      if (root.isEmpty()) {
        return 1;
      }
      print(spec.commandLine().getOut(), root.get());
      return 0;
    }

    private static void print(PrintWriter out, LocalRoot root) {
      String path = root.pem().toString();
      out.println(path);
      out.println("  " + root.certificate().getSubjectX500Principal().getName());
      out.println("  valid until " + LocalDate.ofInstant(root.certificate().getNotAfter().toInstant(), ZoneOffset.UTC)
          + ", SHA-256 fingerprint " + root.fingerprint());
      out.println();
      out.println("Trust it (each kind of client has its own trust store); gatehouse ca install does all but curl's:");
      out.println("  Debian/Ubuntu system store (curl, wget, OpenSSL, Python's ssl module):");
      out.println("    sudo cp " + path + " /usr/local/share/ca-certificates/gatehouse.crt"
          + " && sudo update-ca-certificates");
      out.println("  curl, for one command:");
      out.println("    curl --cacert " + path + " https://localhost:8443/");
      out.println("  Python requests (uses certifi's bundle, not the system store):");
      out.println("    export REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt   # after the system step");
      out.println("    export REQUESTS_CA_BUNDLE=" + path + "   # or trust only this CA");
      out.println("  Chrome/Chromium (NSS database; certutil is in Debian's libnss3-tools):");
      out.println("    certutil -d sql:$HOME/.pki/nssdb -A -t C,, -n gatehouse -i " + path);
      out.println("  Firefox: Settings > Privacy & Security > Certificates > View Certificates > Authorities >");
      out.println("    Import " + path + ", tick \"Trust this CA to identify websites\"");
      out.flush();
    }
  }

  /** {@code gatehouse ca install}: trust the root in every store a developer's clients read. */
  @Command(
      name = "install",
      mixinStandardHelpOptions = true,
      description = {
        "Trust the local CA's root in the system store (update-ca-certificates), Chromium/Chrome's NSS",
        "database (~/.pki/nssdb), every Firefox profile and, with --java, the Java trust store. Running it",
        "again changes nothing; a store it cannot change gets the command that finishes the job."
      })
  static final class Install implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin TrustOptions options;

    @Override
    public Integer call() {
      return options.apply(spec, "installing", LocalCaTrust::install);
    }
  }

  /** {@code gatehouse ca uninstall}: take this root, and only it, out of the same stores. */
  @Command(
      name = "uninstall",
      mixinStandardHelpOptions = true,
      description = "Remove the local CA's root (only it) from the stores ca install puts it in.")
  static final class Uninstall implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;
    @CommandLine.Mixin TrustOptions options;

    @Override
    public Integer call() {
      return options.apply(spec, "removing", LocalCaTrust::uninstall);
    }
  }

  /** What install and uninstall share: where the root is, whether Java counts, and the report. */
  static final class TrustOptions {
    @Option(
        names = "--state-dir",
        paramLabel = "DIR",
        description = "Where keys, certificates and state live (default: ${DEFAULT-VALUE}).")
    Path stateDir = ServeConfig.defaultStateDir();

    @Option(names = "--java", description = "Also the Java runtime's trust store (lib/security/cacerts).")
    boolean java;

    /** One line per store; status 1 when some store needs the user's command, else 0. */
    int apply(
        CommandLine.Model.CommandSpec spec,
        String doing,
        BiFunction<LocalCaTrust, LocalRoot, List<TrustChange>> change) {
      Optional<LocalRoot> root = loadRoot(spec, stateDir);
      if (root.isEmpty()) {
        return 1;
      }
      PrintWriter out = spec.commandLine().getOut();
      out.println(doing + " " + root.get().commonName() + " (" + root.get().alias() + ")");
      // $HOME, as certutil and the browsers read it; Java's user.home comes from the password database.
      String home = System.getenv().getOrDefault("HOME", System.getProperty("user.home"));
      LocalCaTrust trust = LocalCaTrust.forUser(Path.of(home), System.getenv(), java);
      boolean needsUser = false;
      for (TrustChange c : change.apply(trust, root.get())) {
        out.println("  " + c.store() + ": " + c.detail());
        if (c.finish().isPresent()) {
          needsUser = true;
          out.println("    to finish, run: " + c.finish().get());
        }
      }
      out.flush();
      return needsUser ? 1 : 0;
    }
  }

  /** The root of {@code stateDir}'s local CA, created if missing; empty after printing why it cannot be. */
  private static Optional<LocalRoot> loadRoot(CommandLine.Model.CommandSpec spec, Path stateDir) {
    FileStorage storage;
    try {
      storage = new FileStorage(stateDir);
    } catch (IOException e) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--state-dir: '" + stateDir + "' cannot be used (" + e + ")");
    }
    try {
      LocalCaIssuer issuer = new LocalCaIssuer(storage);
      return Optional.of(new LocalRoot(storage.pathOf(StorageKeys.LOCAL_CA_ROOT), issuer.root().leaf()));
    } catch (IOException e) {
      spec.commandLine().getErr().println(spec.qualifiedName() + ": " + e.getMessage());
      return Optional.empty();
    }
  }
}
