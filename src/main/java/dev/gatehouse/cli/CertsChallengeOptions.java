package dev.gatehouse.cli;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How {@code certs issue} and {@code certs renew} answer http-01 (RFC 8555 §8.3): files under another web
 * server's root, or a listener of their own. dns-01 goes through {@code --dns-hook} of {@link AcmeOptions}.
 */
final class CertsChallengeOptions {

  /** Where http-01 validation connects (RFC 8555 §8.3); another port only behind a port forward. */
  static final int DEFAULT_HTTP_PORT = 80;

  @Option(
      names = "--webroot",
      paramLabel = "DIR",
      description = "Write http-01 answers under DIR/.well-known/acme-challenge/ (the root nginx serves).")
  Path webroot;

  @Option(names = "--standalone", description = "Answer http-01 on a listener of our own (--http-port).")
  boolean standalone;

  @Option(
      names = "--http-port",
      paramLabel = "[ADDR:]PORT",
      description = "Where --standalone listens (default: all addresses, port " + DEFAULT_HTTP_PORT + ").")
  String httpPort;

  boolean given() {
    return webroot != null || standalone;
  }

  /** Checks the combination; a usage error names the flag. */
  void validate(CommandLine cl) {
    if (webroot != null && standalone) {
      throw new CommandLine.ParameterException(cl,
          "--webroot and --standalone both given (expected: one way to answer http-01)");
    }
    if (httpPort != null && !standalone) {
      throw new CommandLine.ParameterException(cl, "--http-port: '" + httpPort + "' is only used with --standalone");
    }
    if (webroot != null && !Files.isDirectory(webroot)) {
      throw new CommandLine.ParameterException(cl, "--webroot: '" + webroot + "' is not a directory (expected:"
          + " the document root the web server serves for these names)");
    }
    if (httpPort != null) {
      listenAddress(cl, httpPort);
    }
  }

  Optional<Path> webroot() {
    return Optional.ofNullable(webroot).map(Path::toAbsolutePath);
  }

  /** {@code [ADDR:]PORT} when {@code --standalone}, with the default port. */
  Optional<String> standalone() {
    return standalone ? Optional.of(httpPort == null ? String.valueOf(DEFAULT_HTTP_PORT) : httpPort) : Optional.empty();
  }

  /**
   * {@code PORT}, {@code ADDR:PORT} or {@code [IPv6]:PORT}.
   *
   * @throws CommandLine.ParameterException naming {@code --http-port}
   */
  static InetSocketAddress listenAddress(CommandLine cl, String value) {
    String host = null;
    String port = value.trim();
    int colon = port.lastIndexOf(':');
    if (colon >= 0) {
      host = port.substring(0, colon).replaceAll("^\\[|\\]$", "");
      port = port.substring(colon + 1);
    }
    try {
      int n = Integer.parseInt(port);
      if (n < 1 || n > 65535) {
        throw new NumberFormatException();
      }
      return host == null || host.isEmpty() ? new InetSocketAddress(n) : new InetSocketAddress(host, n);
    } catch (NumberFormatException e) {
      throw new CommandLine.ParameterException(cl, "--http-port: '" + value + "' is not valid (expected: PORT or"
          + " ADDR:PORT with PORT 1-65535, e.g. 80 or 127.0.0.1:8080)");
    }
  }
}
