package dev.gatehouse.cli;

import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.localca.LocalCaIssuer;
import dev.gatehouse.store.FileStorage;
import dev.gatehouse.store.StorageKeys;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gatehouse ca}: the local CA that signs certificates for localhost-like names. */
@Command(
    name = "ca",
    mixinStandardHelpOptions = true,
    description = "The local CA that signs certificates for localhost, *.localhost, 127.0.0.1 and ::1.",
    subcommands = {CaCommand.Root.class})
public final class CaCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "a subcommand is needed: root (see --help)");
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
      FileStorage storage;
      try {
        storage = new FileStorage(stateDir);
      } catch (IOException e) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--state-dir: '" + stateDir + "' cannot be used (" + e + ")");
      }
      CertifiedKey root;
      try {
        root = new LocalCaIssuer(storage).root();
      } catch (IOException e) {
        spec.commandLine().getErr().println("gatehouse ca root: " + e.getMessage());
        return 1;
      }
      print(spec.commandLine().getOut(), storage.pathOf(StorageKeys.LOCAL_CA_ROOT), root);
      return 0;
    }

    private static void print(PrintWriter out, Path pem, CertifiedKey root) {
      String path = pem.toString();
      out.println(path);
      out.println("  " + root.leaf().getSubjectX500Principal().getName());
      out.println("  valid until " + LocalDate.ofInstant(root.notAfter(), ZoneOffset.UTC) + ", SHA-256 fingerprint "
          + fingerprint(root));
      out.println();
      out.println("Trust it (each kind of client has its own trust store):");
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

    private static String fingerprint(CertifiedKey root) {
      try {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(root.leaf().getEncoded());
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
      } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
        throw new IllegalStateException("SHA-256 of a parsed certificate", e);
      }
    }
  }
}
