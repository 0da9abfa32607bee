package dev.gatehouse.cli;

import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.KeyType;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The ACME flags {@code serve} and {@code certs} share, a picocli mixin. */
public final class AcmeOptions {

  @Option(
      names = "--ca",
      paramLabel = "CA",
      description = "letsencrypt (default), letsencrypt-staging, internal (local CA) or an ACME directory URL.")
  String ca;

  @Option(names = "--acme-directory", paramLabel = "URL", description = "ACME directory URL; the same as --ca URL.")
  String acmeDirectory;

  @Option(
      names = "--acme-trust",
      paramLabel = "PEM",
      description = "Extra trust anchors for the ACME server's own HTTPS (e.g. Pebble's); repeatable.")
  List<Path> acmeTrust = new ArrayList<>();

  @Option(names = "--email", paramLabel = "ADDR", description = "Contact address for the ACME account.")
  String email;

  @Option(names = "--eab-kid", paramLabel = "ID", description = "External account binding key id (ZeroSSL and other EAB CAs).")
  String eabKid;

  @Option(names = "--eab-hmac", paramLabel = "KEY", description = "External account binding HMAC key, base64url.")
  String eabHmac;

  @Option(names = "--profile", paramLabel = "NAME", description = "Certificate profile (Let's Encrypt: classic, tlsserver, shortlived).")
  String profile;

  @Option(
      names = "--key-type",
      paramLabel = "TYPE",
      description = "ecdsa-p256 (default), ecdsa-p384, rsa2048 or rsa4096.")
  String keyType;

  @Option(
      names = "--dns-hook",
      paramLabel = "CMD",
      description = "Command for dns-01, called as CMD present|cleanup FQDN VALUE (needed for wildcards).")
  String dnsHook;

  /** {@code --ca} or {@code --acme-directory}, whichever was given; both is a usage error. */
  public Optional<String> caFlag() throws ConfigException {
    if (ca != null && acmeDirectory != null) {
      throw new ConfigException("--ca and --acme-directory both given (expected: one of them)");
    }
    if (acmeDirectory != null) {
      return Optional.of(acmeDirectory);
    }
    return Optional.ofNullable(ca);
  }

  /** The flag name that {@link #caFlag()} came from, for error messages. */
  public String caFlagName() {
    return acmeDirectory != null ? "--acme-directory" : "--ca";
  }

  /** These flags laid over {@code base} (the defaults, or what a config file set). */
  public AcmeSettings applyTo(AcmeSettings base) throws ConfigException {
    for (Path p : acmeTrust) {
      if (!p.toFile().canRead()) {
        throw new ConfigException("--acme-trust: cannot read " + p + " (expected: a readable PEM file)");
      }
    }
    if ((eabKid == null) != (eabHmac == null)) {
      throw new ConfigException("--eab-kid and --eab-hmac go together (expected: both or neither)");
    }
    URI directory = base.directory();
    Optional<String> caValue = caFlag();
    if (caValue.isPresent() && !caValue.get().trim().equalsIgnoreCase("internal")) {
      directory = AcmeSettings.parseDirectory(caFlagName(), caValue.get());
    }
    return new AcmeSettings(
        directory,
        acmeTrust.isEmpty() ? base.trustAnchors() : acmeTrust.stream().map(Path::toAbsolutePath).toList(),
        Optional.ofNullable(email).or(base::email),
        Optional.ofNullable(eabKid).or(base::eabKeyId),
        Optional.ofNullable(eabHmac).or(base::eabHmacKey),
        Optional.ofNullable(profile).or(base::profile),
        keyType == null ? base.keyType() : KeyType.parse("--key-type", keyType),
        Optional.ofNullable(dnsHook).or(base::dnsHook));
  }
}
