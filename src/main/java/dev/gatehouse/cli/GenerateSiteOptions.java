package dev.gatehouse.cli;

import dev.gatehouse.config.ByteSize;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.Limits;
import dev.gatehouse.config.Ports;
import dev.gatehouse.config.StaticMount;
import dev.gatehouse.config.Upstream;
import dev.gatehouse.generate.Site;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The site flags of the commands that describe the whole proxy ({@code generate nginx|caddy|systemd},
 * {@code nginx setup}), named as {@code gatehouse serve} names them. Values are kept as typed and parsed by the config parsers, so every bad value
 * gets the same one-line message as in {@code serve}.
 */
final class GenerateSiteOptions {

  @Mixin GenerateNameOptions names;
  @Mixin GenerateUpstreamOption upstream;

  @Option(names = "--static", paramLabel = "PREFIX=DIR", description = "A URL prefix served from a directory (repeatable).")
  List<String> statics = new ArrayList<>();

  @Option(names = "--max-body", paramLabel = "SIZE", description = "Largest request body (default: 20M).")
  String maxBody;

  @Option(names = "--http-port", paramLabel = "N", description = "Plain HTTP port (default: ${DEFAULT-VALUE}).")
  String httpPort = Integer.toString(Site.DEFAULT_HTTP_PORT);

  @Option(names = "--bind", paramLabel = "ADDR", description = "Listen on this address only (default: all).")
  String bind;

  /**
   * Every flag as a validated {@link Site}; {@code webroot} and {@code certDir} matter to nginx only, and
   * come from the commands that have them.
   */
  Site site(CommandSpec spec, Path webroot, Path certDir) {
    List<String> siteNames = names.names(spec);
    Upstream up = upstream.upstream(spec);
    List<StaticMount> mounts = new ArrayList<>();
    for (String s : statics) {
      mounts.add(check(spec, () -> StaticMount.parse("--static", s)));
    }
    long maxBodyBytes =
        maxBody == null ? Limits.DEFAULT_MAX_BODY_BYTES : check(spec, () -> ByteSize.parse("--max-body", maxBody));
    int http = check(spec, () -> Ports.parse("--http-port", httpPort, false));
    Optional<String> bindAddress = bind == null ? Optional.empty() : Optional.of(check(spec, () -> address(bind)));
    Site site =
        new Site(
            siteNames,
            up,
            mounts,
            webroot,
            certDir,
            maxBodyBytes,
            names.hsts(spec),
            bindAddress,
            http,
            names.httpsPort(spec));
    return check(spec, site::validated);
  }

  /** An IP literal: the generated {@code listen} lines take addresses, not names. */
  private static String address(String value) throws ConfigException {
    String v = value.trim();
    if (v.startsWith("[") && v.endsWith("]")) {
      v = v.substring(1, v.length() - 1);
    }
    boolean literal = v.contains(":") || v.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    try {
      if (literal) {
        InetAddress.getByName(v);
        return v;
      }
    } catch (UnknownHostException e) {
      // reported below
    }
    throw ConfigException.invalid("--bind", value, "an IP address such as 127.0.0.1 or ::1");
  }

  /** A parse step whose {@link ConfigException} becomes a usage error (one line, exit 2). */
  interface Parse<T> {
    T get() throws ConfigException;
  }

  static <T> T check(CommandSpec spec, Parse<T> parse) {
    try {
      return parse.get();
    } catch (ConfigException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }
}
