package dev.gatehouse.cli;

import dev.gatehouse.acme.AcmeIssuer;
import dev.gatehouse.acme.RevokeReason;
import dev.gatehouse.certs.CertificateFileException;
import dev.gatehouse.certs.CertificateStore;
import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.certs.IssuanceException;
import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.Hostnames;
import dev.gatehouse.localca.LocalCaIssuer;
import dev.gatehouse.store.Storage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gatehouse certs revoke}: tells the CA a certificate must no longer be trusted (RFC 8555 §7.6). */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    description = "Revoke the stored certificate NAME at the CA that issued it, signed with its own key. The"
        + " files stay; replace them with certs renew --force NAME.")
final class CertsRevokeCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The certificate's name, as certs list shows it.")
  String name;

  @Option(names = "--reason", paramLabel = "R", description = "unspecified (default), keyCompromise,"
      + " affiliationChanged, superseded or cessationOfOperation (RFC 5280 §5.3.1).")
  String reason = RevokeReason.UNSPECIFIED.flag();

  @Option(names = {"--ca", "--acme-directory"}, paramLabel = "CA", description = "The CA that issued it, if not"
      + " the one recorded: letsencrypt, letsencrypt-staging or an ACME directory URL.")
  String ca;

  @Option(names = "--acme-trust", paramLabel = "PEM", description = "Extra trust anchors for the ACME server's own"
      + " HTTPS (e.g. Pebble's); repeatable.")
  List<Path> acmeTrust = new ArrayList<>();

  @Mixin CertsStateDir state = new CertsStateDir();

  @Mixin StoreOptions shared = new StoreOptions();

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    CertsConsole console = new CertsConsole(cl);
    RevokeReason why = RevokeReason.parse(reason).orElseThrow(() -> new CommandLine.ParameterException(cl,
        "--reason: '" + reason + "' is not valid (expected: " + RevokeReason.valid() + ")"));
    Storage storage = shared.open(cl, state.stateDir);
    try {
      return revoke(cl, console, storage, why);
    } finally {
      StorageOpener.close(storage);
    }
  }

  private int revoke(CommandLine cl, CertsConsole console, Storage storage, RevokeReason why) {
    CertificateStore store = new CertificateStore(storage);
    String normalized;
    CertifiedKey certificate;
    AcmeSettings settings;
    try {
      normalized = Hostnames.normalize("NAME", name);
      certificate = store.load(normalized).orElseThrow(() -> new CommandLine.ParameterException(cl, "NAME: '" + name
          + "' has no certificate in " + CertsListCommand.where(storage) + " (expected: a name certs list shows)"));
      settings = settings(storage, store, normalized, certificate);
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    } catch (IOException | CertificateFileException e) {
      console.error(name + ": " + e.getMessage());
      return 1;
    }
    try {
      AcmeIssuer.builder(settings, storage).progress(console.progress()).build().revoke(certificate, why);
    } catch (IssuanceException e) {
      console.error(e.getMessage());
      return 1;
    } catch (ConfigException e) {
      throw new CommandLine.ParameterException(cl, e.getMessage());
    }
    console.result(normalized + ": revoked at " + AcmeSettings.describe(settings.directory()) + " (" + why.flag()
        + "), serial " + certificate.serialHex() + "; replace it: gatehouse certs renew --force " + normalized);
    return 0;
  }

  /**
   * The CA that issued it: {@code --ca} if given, else the one certs issue stored, else the one serve
   * recorded; the local CA keeps no revocation list.
   */
  private AcmeSettings settings(Storage storage, CertificateStore store, String name, CertifiedKey certificate)
      throws ConfigException, IOException {
    Optional<CertsRenewalConfig> config = CertsRenewalConfig.load(storage, name);
    String localCa = new LocalCaIssuer(storage).name();
    String issuer = ca != null ? ca
        : config.map(CertsRenewalConfig::ca)
            .or(() -> issuerOf(store, name, certificate))
            .orElse("letsencrypt");
    if (issuer.equalsIgnoreCase(CertsRenewalConfig.INTERNAL) || issuer.equals(localCa)) {
      throw new ConfigException("NAME: '" + name + "' comes from the local CA, which keeps no revocation list"
          + " (expected: an ACME certificate; delete the files instead)");
    }
    AcmeSettings base = config.map(c -> c.acmeSettings(Optional.empty())).orElse(AcmeSettings.DEFAULT);
    List<Path> trust = acmeTrust.isEmpty() ? base.trustAnchors() : acmeTrust;
    return new AcmeSettings(AcmeSettings.parseDirectory("--ca", issuer), trust, base.email(), base.eabKeyId(),
        Optional.empty(), base.profile(), base.keyType(), base.dnsHook());
  }

  private static Optional<String> issuerOf(CertificateStore store, String name, CertifiedKey certificate) {
    try {
      return store.issuerOf(name, certificate);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
