package dev.gatehouse.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds a {@link ServeConfig} from raw values, so that command-line flags and {@code gatehouse.toml}
 * share one set of parsers and checks. Every setter takes {@code where}, the flag or file key the value
 * came from, which each error message names.
 */
public final class ServeConfigBuilder {

  /**
   * One site as given, before the certificate source is decided.
   *
   * @param where the file table the site came from ({@code gatehouse.toml [[site]] #2}), or {@link #FLAGS}
   */
  public record SiteSpec(
      List<String> names,
      Optional<String> upstream,
      List<String> statics,
      Optional<String> ca,
      Optional<Path> tlsCert,
      Optional<Path> tlsKey,
      String where) {

    /** {@link #where} of the site made by {@code serve}'s DOMAIN arguments and flags. */
    public static final String FLAGS = "DOMAIN";

    /** What an error about one setting names: the flag, or the file table and key. */
    String label(String flag, String key) {
      return where.equals(FLAGS) ? flag : where + " " + key;
    }
  }

  private final List<SiteSpec> sites = new ArrayList<>();
  private String bind = ServeConfig.DEFAULT_BIND;
  private int httpPort = ServeConfig.DEFAULT_HTTP_PORT;
  private int httpsPort = ServeConfig.DEFAULT_HTTPS_PORT;
  private Path stateDir = ServeConfig.defaultStateDir();
  private String hsts = "ramp";
  private String hstsWhere = "--hsts";
  private boolean hstsIncludeSubdomains;
  private boolean hstsPreload;
  private int redirectStatus;
  private Limits limits = Limits.DEFAULTS;
  private final List<Cidr> trustedProxies = new ArrayList<>();
  private AccessLog accessLog = new AccessLog.Stdout();
  private Optional<String> globalCa = Optional.empty();
  private String globalCaWhere = "--ca";
  private AcmeSettings acme = AcmeSettings.DEFAULT;

  public ServeConfigBuilder site(SiteSpec site) {
    sites.add(site);
    return this;
  }

  public ServeConfigBuilder bind(String where, String value) throws ConfigException {
    String v = value.trim();
    if (v.isEmpty() || v.contains(" ") || v.contains("/")) {
      throw ConfigException.invalid(where, value, "an address such as 0.0.0.0, 127.0.0.1 or ::");
    }
    bind = v.startsWith("[") && v.endsWith("]") ? v.substring(1, v.length() - 1) : v;
    return this;
  }

  public ServeConfigBuilder httpPort(String where, String value) throws ConfigException {
    httpPort = Ports.parse(where, value, true);
    return this;
  }

  public ServeConfigBuilder httpsPort(String where, String value) throws ConfigException {
    httpsPort = Ports.parse(where, value, true);
    return this;
  }

  public ServeConfigBuilder stateDir(Path dir) {
    stateDir = dir.toAbsolutePath().normalize();
    return this;
  }

  public ServeConfigBuilder hsts(String where, String value) {
    hsts = value;
    hstsWhere = where;
    return this;
  }

  public ServeConfigBuilder hstsIncludeSubdomains(boolean on) {
    hstsIncludeSubdomains = on;
    return this;
  }

  public ServeConfigBuilder hstsPreload(boolean on) {
    hstsPreload = on;
    return this;
  }

  public ServeConfigBuilder redirectStatus(String where, String value) throws ConfigException {
    String v = value.trim();
    if (v.equals("301") || v.equals("308")) {
      redirectStatus = Integer.parseInt(v);
      return this;
    }
    throw ConfigException.invalid(where, value, "301 or 308");
  }

  public ServeConfigBuilder maxBody(String where, String value) throws ConfigException {
    limits = limits.withMaxBodyBytes(ByteSize.parse(where, value));
    return this;
  }

  /**
   * Never zero: README documents no way to turn it off, and without it a hung Gunicorn worker would hold
   * the client's request forever instead of answering 504.
   */
  public ServeConfigBuilder upstreamTimeout(String where, String value) throws ConfigException {
    limits = limits.withUpstreamResponseTimeout(Durations.parsePositive(where, value));
    return this;
  }

  /** One of the client timeouts ({@link Limits#TIMEOUT_NAMES}); {@code 0s} turns it off, as README says. */
  public ServeConfigBuilder clientTimeout(String where, String name, String value) throws ConfigException {
    limits = limits.withTimeout(name, Durations.parseTimeoutOrOff(where, value));
    return this;
  }

  public ServeConfigBuilder maxConnectionsPerIp(String where, String value) throws ConfigException {
    try {
      int max = Integer.parseInt(value.trim());
      if (max >= 0) {
        limits = limits.withMaxConnectionsPerIp(max);
        return this;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ConfigException.invalid(where, value, "a whole number of connections, 0 for no cap");
  }

  /** Whether request bodies are read whole before forwarding (default on). */
  public ServeConfigBuilder bufferRequests(boolean on) {
    limits = limits.withRequestBuffering(on, limits.bodyMemoryBytes());
    return this;
  }

  /**
   * A path prefix whose request bodies are streamed to the app even while buffering is on; repeatable.
   * Prefixes set from the file and from flags add up.
   */
  public ServeConfigBuilder streamRequests(String where, String value) throws ConfigException {
    List<StreamedPrefix> prefixes = new ArrayList<>(limits.streamedPrefixes());
    StreamedPrefix prefix = StreamedPrefix.parse(where, value);
    if (!prefixes.contains(prefix)) {
      prefixes.add(prefix);
    }
    limits = limits.withStreamedPrefixes(prefixes);
    return this;
  }

  public ServeConfigBuilder trustedProxy(String where, String value) throws ConfigException {
    trustedProxies.add(Cidr.parse(where, value));
    return this;
  }

  public ServeConfigBuilder accessLog(String where, String value) throws ConfigException {
    accessLog = AccessLog.parse(where, value);
    return this;
  }

  /** {@code --ca}: {@code internal} for every site, or the ACME CA for every site that needs one. */
  public ServeConfigBuilder ca(String where, String value) throws ConfigException {
    if (!value.trim().equalsIgnoreCase("internal")) {
      acme = withDirectory(acme, AcmeSettings.parseDirectory(where, value));
    }
    globalCa = Optional.of(value.trim());
    globalCaWhere = where;
    return this;
  }

  public ServeConfigBuilder acme(AcmeSettings settings) {
    acme = settings;
    return this;
  }

  public AcmeSettings acme() {
    return acme;
  }

  public ServeConfig build() throws ConfigException {
    if (sites.isEmpty()) {
      throw new ConfigException("no site: give at least one DOMAIN (e.g. gatehouse serve localhost) or [[site]]");
    }
    HstsPolicy hstsPolicy = HstsPolicy.parse(hstsWhere, hsts, hstsIncludeSubdomains, hstsPreload);
    if (httpsPort != 0 && httpsPort == httpPort) {
      throw new ConfigException(
          "--http-port and --https-port are both " + httpPort + " (expected: two different ports)");
    }
    List<SiteConfig> built = new ArrayList<>();
    Map<String, String> owner = new HashMap<>();
    for (SiteSpec spec : sites) {
      SiteConfig site = buildSite(spec);
      for (String name : site.names()) {
        String previous = owner.putIfAbsent(name, spec.where());
        if (previous != null) {
          throw new ConfigException(spec.where() + ": '" + name + "' is already a name of " + previous
              + " (expected: each name in one site)");
        }
      }
      built.add(site);
    }
    return new ServeConfig(
        built, bind, httpPort, httpsPort, stateDir, hstsPolicy, redirectStatus, limits, trustedProxies,
        accessLog, acme);
  }

  private SiteConfig buildSite(SiteSpec spec) throws ConfigException {
    if (spec.names().isEmpty()) {
      throw new ConfigException(spec.where() + ": no names (expected: at least one DOMAIN)");
    }
    List<String> names = new ArrayList<>();
    for (String n : spec.names()) {
      String name = Hostnames.normalize(spec.where(), n);
      if (!names.contains(name)) {
        names.add(name);
      }
    }
    Optional<Upstream> upstream = Optional.empty();
    if (spec.upstream().isPresent()) {
      upstream = Optional.of(Upstream.parse(spec.label("--upstream", "upstream"), spec.upstream().get()));
    }
    List<StaticMount> statics = new ArrayList<>();
    for (String s : spec.statics()) {
      StaticMount mount = StaticMount.parse(spec.label("--static", "static"), s);
      if (!Files.isDirectory(mount.directory())) {
        throw new ConfigException(spec.label("--static", "static") + ": directory " + mount.directory()
            + " does not exist (expected: an existing directory, e.g. Django's STATIC_ROOT after collectstatic)");
      }
      statics.add(mount);
    }
    return new SiteConfig(names, upstream, statics, certificateSource(spec, names));
  }

  private CertificateSource certificateSource(SiteSpec spec, List<String> names) throws ConfigException {
    if (spec.tlsCert().isPresent() != spec.tlsKey().isPresent()) {
      throw new ConfigException(spec.label("--tls-cert", "tls_cert")
          + ": --tls-cert and --tls-key (tls_cert, tls_key) go together (expected: both or neither)");
    }
    if (spec.tlsCert().isPresent()) {
      for (Path p : List.of(spec.tlsCert().get(), spec.tlsKey().get())) {
        if (!Files.isReadable(p)) {
          throw new ConfigException(spec.label("--tls-cert/--tls-key", "tls_cert/tls_key") + ": cannot read " + p
              + " (expected: a readable PEM file)");
        }
      }
      return new CertificateSource.Provided(
          spec.tlsCert().get().toAbsolutePath(), spec.tlsKey().get().toAbsolutePath());
    }
    String ca = spec.ca().or(() -> globalCa).orElse("");
    String where = spec.ca().isPresent() ? spec.label("--ca", "ca") : globalCaWhere;
    if (ca.equalsIgnoreCase("internal")) {
      return new CertificateSource.LocalCa();
    }
    if (spec.ca().isEmpty() && names.stream().allMatch(Hostnames::isLocal)) {
      return new CertificateSource.LocalCa();
    }
    if (spec.ca().isPresent()) {
      URI directory = AcmeSettings.parseDirectory(where, ca);
      if (!directory.equals(acme.directory())) {
        throw new ConfigException(where + ": '" + ca + "' differs from the global ACME CA "
            + AcmeSettings.describe(acme.directory()) + " (expected: internal, or the [acme] ca)");
      }
    }
    for (String name : names) {
      if (Hostnames.isLocal(name)) {
        throw new ConfigException(where + ": no public CA certifies '" + name
            + "' (expected: --ca internal for localhost names, or a public DNS name)");
      }
      if (Hostnames.isWildcard(name) && acme.dnsHook().isEmpty()) {
        throw new ConfigException(spec.label("DOMAIN", "names") + ": wildcard '" + name
            + "' needs the dns-01 challenge (expected: --dns-hook CMD)");
      }
    }
    return new CertificateSource.Acme();
  }

  private static AcmeSettings withDirectory(AcmeSettings a, URI directory) {
    return new AcmeSettings(
        directory, a.trustAnchors(), a.email(), a.eabKeyId(), a.eabHmacKey(), a.profile(), a.keyType(),
        a.dnsHook());
  }
}
