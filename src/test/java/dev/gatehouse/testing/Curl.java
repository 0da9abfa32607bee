package dev.gatehouse.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One curl request, as a user would make it: the URL's name is resolved to 127.0.0.1 with
 * {@code --resolve} (never DNS, never a proxy), and HTTPS is always verified against a CA file
 * ({@code -k} is deliberately not offered). A transfer error is a result, not an exception:
 * see {@link CurlResult#exitCode()} and {@link CurlResult#stderr()}.
 *
 * <pre>{@code
 * CurlResult r = Curl.to("https://app.test:" + port + "/echo/").cacert(ca).header("X-Forwarded-For", "6.6.6.6").run();
 * }</pre>
 */
public final class Curl {

  /** Default {@code --max-time}. */
  public static final Duration DEFAULT_MAX_TIME = Duration.ofSeconds(20);
  private static final Pattern IP_LITERAL = Pattern.compile("^[0-9.]+$|^\\[.*]$");

  private final String url;
  private final List<String> options = new ArrayList<>();
  private final List<String> resolves = new ArrayList<>();
  private Duration maxTime = DEFAULT_MAX_TIME;
  private byte[] data;
  private Path unixSocket;

  private Curl(String url) {
    this.url = url;
  }

  /** A request to {@code url}; its host (unless an IP literal) resolves to 127.0.0.1. */
  public static Curl to(String url) {
    return new Curl(url);
  }

  /** Trust anchors for HTTPS ({@code --cacert}). */
  public Curl cacert(Path caPem) {
    return add("--cacert", caPem.toString());
  }

  /** Also resolve {@code host:port} to 127.0.0.1 (for redirects to another name or port). */
  public Curl resolve(String host, int port) {
    resolves.add(host + ":" + port + ":127.0.0.1");
    return this;
  }

  /** Talk HTTP over this Unix socket ({@code --unix-socket}); the URL then only gives Host and path. */
  public Curl unixSocket(Path socket) {
    this.unixSocket = socket;
    return add("--unix-socket", socket.toString());
  }

  /** {@code -X METHOD}. */
  public Curl method(String method) {
    return add("-X", method);
  }

  /** {@code -I}: a HEAD request. */
  public Curl head() {
    return add("-I");
  }

  /** A request header; an empty value sends {@code Name:} which makes curl drop its own header of that name. */
  public Curl header(String name, String value) {
    return add("-H", name + ": " + value);
  }

  /** A request body sent as is ({@code --data-binary}); a POST unless {@link #method} says otherwise. */
  public Curl data(byte[] body) {
    this.data = body.clone();
    return add("--data-binary", "@-");
  }

  public Curl data(String body) {
    return data(body.getBytes(StandardCharsets.UTF_8));
  }

  /** HTTP/2 (ALPN h2 over TLS). */
  public Curl http2() {
    return add("--http2");
  }

  /** HTTP/1.1 only. */
  public Curl http11() {
    return add("--http1.1");
  }

  /** HTTP/1.0. */
  public Curl http10() {
    return add("--http1.0");
  }

  /**
   * Offer only TLS 1.1 ({@code --tlsv1.1 --tls-max 1.1}), with OpenSSL's security level lowered
   * so that the client really sends a TLS 1.1 ClientHello: a failure then is the server's refusal.
   */
  public Curl tls11() {
    return add("--tlsv1.1", "--tls-max", "1.1", "--ciphers", "DEFAULT@SECLEVEL=0");
  }

  /** Follow redirects ({@code -L}); the result describes the last response. */
  public Curl followRedirects() {
    return add("-L");
  }

  /** {@code --max-time} (default 20 s). */
  public Curl maxTime(Duration maxTime) {
    this.maxTime = maxTime;
    return this;
  }

  /** Any other curl arguments, verbatim. */
  public Curl args(String... args) {
    return add(args);
  }

  private Curl add(String... args) {
    options.addAll(Arrays.asList(args));
    return this;
  }

  /** The command line this request runs (without the temp-file arguments). */
  public List<String> command() {
    List<String> cmd = new ArrayList<>(List.of("curl", "-q", "-sS", "--noproxy", "*"));
    cmd.addAll(List.of("--max-time", Double.toString(maxTime.toMillis() / 1000.0)));
    for (String resolve : resolveArgs()) {
      cmd.addAll(List.of("--resolve", resolve));
    }
    cmd.addAll(options);
    cmd.add(url);
    return cmd;
  }

  private List<String> resolveArgs() {
    List<String> all = new ArrayList<>();
    URI uri = URI.create(url);
    String host = uri.getHost();
    if (unixSocket == null && host != null && !IP_LITERAL.matcher(host).matches()) {
      int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
      all.add(host + ":" + port + ":127.0.0.1");
    }
    all.addAll(resolves);
    return all;
  }

  /** Runs curl and waits for it (bounded by max-time plus a margin). */
  public CurlResult run() {
    Path work = null;
    try {
      work = Files.createTempDirectory("harness-curl-");
      Path headerFile = work.resolve("headers");
      Path bodyFile = work.resolve("body");
      Path stderrFile = work.resolve("stderr");
      List<String> cmd = command();
      List<String> full = new ArrayList<>(cmd.subList(0, cmd.size() - 1));
      full.addAll(List.of("-D", headerFile.toString(), "-o", bodyFile.toString(),
          "-w", "%{http_version} %{response_code}", cmd.get(cmd.size() - 1)));
      Process process = new ProcessBuilder(full).redirectError(stderrFile.toFile()).start();
      try (OutputStream stdin = process.getOutputStream()) {
        if (data != null) {
          stdin.write(data);
        }
      }
      byte[] stdout = process.getInputStream().readAllBytes();
      if (!process.waitFor(maxTime.toMillis() + 10_000, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException("curl did not finish: " + String.join(" ", cmd));
      }
      return CurlResult.parse(cmd, process.exitValue(), new String(stdout, StandardCharsets.US_ASCII),
          readIfExists(headerFile), readIfExists(bodyFile),
          new String(readIfExists(stderrFile), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("running curl for " + url, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running curl for " + url, e);
    } finally {
      TestDirs.deleteUnlessKept(work);
    }
  }

  private static byte[] readIfExists(Path file) throws IOException {
    return Files.exists(file) ? Files.readAllBytes(file) : new byte[0];
  }
}
