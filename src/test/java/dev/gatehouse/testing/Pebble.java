package dev.gatehouse.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Pebble, the ACME test CA, with {@code pebble-challtestsrv} as its DNS server (every name
 * resolves to 127.0.0.1; TXT records for dns-01 are set through its management API).
 *
 * <p>Pebble validates http-01 on {@link Builder#httpPort} and tls-alpn-01 on {@link Builder#tlsPort}
 * of 127.0.0.1: the ports the Gatehouse under test listens on. Its listener certificate is made
 * per instance; {@link #trustPem()} is the CA file that verifies it ({@code --acme-trust}).
 * Its issuing root is new at every start: {@link #issuingRootPem()}.
 *
 * <p>Pebble's own defaults stay unless a test overrides them with {@link Builder#env}: notably it
 * rejects 5% of good nonces ({@code PEBBLE_WFE_NONCEREJECT}) and reuses valid authorizations half
 * of the time ({@code PEBBLE_AUTHZREUSE}). Only the random 0-15 s validation delay is switched
 * off ({@code PEBBLE_VA_NOSLEEP=1}).
 */
public final class Pebble implements AutoCloseable {

  public static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORDER_ADDED = "Added order";
  private static final String PEBBLE_STARTING = "Starting Pebble ACME server";

  private final Path dir;
  private final int httpPort;
  private final int tlsPort;
  private final int acmePort = FreePorts.next();
  private final int managementPort = FreePorts.next();
  private final int dnsPort = FreePorts.next();
  private final int challtestsrvPort = FreePorts.next();
  private final Map<String, String> env;
  private final Path trustPem;
  private final Path config;
  private final HttpClient client;
  private ManagedProcess challtestsrv;
  private ManagedProcess pebble;
  private Path issuingRoot;
  private int starts;

  private Pebble(Builder builder) {
    this.dir = TestDirs.newInstanceDir("pebble");
    this.httpPort = builder.httpPort;
    this.tlsPort = builder.tlsPort;
    Map<String, String> environment = new HashMap<>();
    System.getenv().keySet().stream().filter(n -> n.startsWith("PEBBLE_")).forEach(n -> environment.put(n, null));
    environment.put("PEBBLE_VA_NOSLEEP", "1");
    environment.putAll(builder.env);
    this.env = environment;
    TestCert ca = TestCerts.ca("Pebble listener test CA");
    TestCert listener = TestCerts.forNames("127.0.0.1", "localhost", "pebble").signedBy(ca).issue();
    this.trustPem = ca.writeCertificate(dir.resolve("pebble-trust.pem"));
    TestCert.PemFiles listenerFiles = listener.writeTo(dir, "pebble-listener");
    this.config = writeConfig(listenerFiles, builder);
    this.client = HttpClient.newBuilder().sslContext(Pems.trusting(trustPem))
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** A Pebble that validates challenges on 127.0.0.1:{@code httpPort} (http-01) and :{@code tlsPort} (tls-alpn-01). */
  public static Pebble start(int httpPort, int tlsPort) {
    return builder().httpPort(httpPort).tlsPort(tlsPort).start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Challenge ports, fault switches and account binding; {@link #start()} runs both processes. */
  public static final class Builder {
    private int httpPort = -1;
    private int tlsPort = -1;
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, String> eabKeys = new LinkedHashMap<>();

    private Builder() {}

    /** Where Pebble's VA connects for http-01 (the Gatehouse under test's HTTP port). */
    public Builder httpPort(int port) {
      this.httpPort = port;
      return this;
    }

    /** Where Pebble's VA connects for tls-alpn-01 (the Gatehouse under test's HTTPS port). */
    public Builder tlsPort(int port) {
      this.tlsPort = port;
      return this;
    }

    /** A Pebble environment switch, e.g. {@code PEBBLE_WFE_NONCEREJECT=50}, {@code PEBBLE_VA_ALWAYS_VALID=1}. */
    public Builder env(String name, String value) {
      env.put(name, value);
      return this;
    }

    public Builder env(Map<String, String> values) {
      env.putAll(values);
      return this;
    }

    /** Require external account binding (RFC 8555 §7.3.4) and accept this key id with this base64url HMAC key. */
    public Builder externalAccountBinding(String keyId, String hmacKeyBase64Url) {
      eabKeys.put(keyId, hmacKeyBase64Url);
      return this;
    }

    public Pebble start() {
      if (httpPort <= 0 || tlsPort <= 0) {
        throw new IllegalArgumentException("httpPort " + httpPort + ", tlsPort " + tlsPort
            + " (expected: the ports the server under test listens on, both > 0)");
      }
      Pebble pebble = new Pebble(this);
      try {
        pebble.startChalltestsrv();
        pebble.start();
        return pebble;
      } catch (RuntimeException e) {
        pebble.close();
        throw e;
      }
    }
  }

  private Path writeConfig(TestCert.PemFiles listener, Builder builder) {
    ObjectNode settings = JSON.createObjectNode();
    settings.put("listenAddress", "127.0.0.1:" + acmePort);
    settings.put("managementListenAddress", "127.0.0.1:" + managementPort);
    settings.put("certificate", listener.cert().toString());
    settings.put("privateKey", listener.key().toString());
    settings.put("httpPort", httpPort);
    settings.put("tlsPort", tlsPort);
    settings.put("ocspResponderURL", "");
    settings.put("externalAccountBindingRequired", !builder.eabKeys.isEmpty());
    if (!builder.eabKeys.isEmpty()) {
      ObjectNode keys = settings.putObject("externalAccountMACKeys");
      builder.eabKeys.forEach(keys::put);
    }
    ObjectNode root = JSON.createObjectNode();
    root.set("pebble", settings);
    Path file = dir.resolve("pebble-config.json");
    try {
      Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  private void startChalltestsrv() {
    // Empty listener flags keep challtestsrv off the ports the server under test needs.
    List<String> command = List.of("pebble-challtestsrv",
        "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
        "-dns01", "127.0.0.1:" + dnsPort, "-management", "127.0.0.1:" + challtestsrvPort,
        "-http01", "", "-https01", "", "-tlsalpn01", "");
    challtestsrv = ManagedProcess.start("pebble-challtestsrv", command, Map.of(), dir,
        dir.resolve("challtestsrv.log"));
    challtestsrv.awaitReady("pebble-challtestsrv management API answering", START_TIMEOUT,
        () -> HttpProbe.answers(challtestsrvPort, "/"));
  }

  /** Starts Pebble (again, after {@link #stop()}) on the same ports, with a new issuing root and no orders. */
  public synchronized void start() {
    if (pebble != null && pebble.isAlive()) {
      return;
    }
    // "-strict=false": the Go flag package stops parsing at "-strict false" and drops later flags.
    List<String> command = List.of("pebble", "-config", config.toString(),
        "-dnsserver", "127.0.0.1:" + dnsPort, "-strict=false");
    pebble = ManagedProcess.start("pebble", command, env, dir, dir.resolve("pebble.log"));
    issuingRoot = null;
    starts++;
    pebble.awaitReady("Pebble directory answering at " + directoryUrl(), START_TIMEOUT,
        () -> get(directoryUrl()) != null);
  }

  /** Stops Pebble (challtestsrv keeps running): ACME requests fail until {@link #start()}. */
  public synchronized void stop() {
    if (pebble != null) {
      pebble.stop();
    }
  }

  public synchronized boolean isRunning() {
    return pebble != null && pebble.isAlive();
  }

  /** The ACME directory: {@code https://127.0.0.1:PORT/dir}. */
  public String directoryUrl() {
    return "https://127.0.0.1:" + acmePort + "/dir";
  }

  /** The CA certificate that verifies Pebble's listener (ACME and management ports). */
  public Path trustPem() {
    return trustPem;
  }

  /**
   * The root that signs this run's certificates, fetched from the management API
   * ({@code /roots/0}) and written to a file; a new root after every {@link #start()}.
   */
  public synchronized Path issuingRootPem() {
    if (issuingRoot == null) {
      String pem = get("https://127.0.0.1:" + managementPort + "/roots/0");
      if (pem == null) {
        throw pebble.failure("Pebble's management API did not return /roots/0");
      }
      Path file = dir.resolve("issuing-root-" + starts + ".pem");
      try {
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
      issuingRoot = file;
    }
    return issuingRoot;
  }

  /** challtestsrv's management API, {@code http://127.0.0.1:PORT} (POST /set-txt, /clear-txt, /add-a...). */
  public String challtestsrvUrl() {
    return "http://127.0.0.1:" + challtestsrvPort;
  }

  /** The DNS server Pebble resolves with: {@code 127.0.0.1:PORT} (UDP and TCP). */
  public String dnsServer() {
    return "127.0.0.1:" + dnsPort;
  }

  /** Serves TXT {@code value} for {@code host} (a trailing dot is added: challtestsrv matches FQDNs). */
  public void setTxt(String host, String value) {
    postChalltestsrv("/set-txt", Map.of("host", fqdn(host), "value", value));
  }

  /** Removes the TXT records of {@code host}. */
  public void clearTxt(String host) {
    postChalltestsrv("/clear-txt", Map.of("host", fqdn(host)));
  }

  private static String fqdn(String host) {
    return host.endsWith(".") ? host : host + ".";
  }

  private void postChalltestsrv(String path, Map<String, String> body) {
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(challtestsrvUrl() + path))
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("challtestsrv " + path + " " + body + ": HTTP "
            + response.statusCode() + " " + response.body());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("challtestsrv " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * Waits until the server on 127.0.0.1:{@code port} presents, for {@code name}, a certificate that chains to
   * this Pebble's root and is not {@code previous} (null: any); returns its serial. Fails after {@code wait}
   * with {@code log} (the server's) in the message.
   */
  public BigInteger awaitServedCertificate(
      int port, String name, BigInteger previous, Duration wait, Supplier<String> log) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    X509Certificate root = Pems.readCertificate(issuingRootPem());
    while (true) {
      try {
        List<X509Certificate> chain = Pems.presentedChain(port, name);
        X509Certificate last = chain.get(chain.size() - 1);
        BigInteger serial = chain.get(0).getSerialNumber();
        if (last.getIssuerX500Principal().equals(root.getSubjectX500Principal()) && !serial.equals(previous)) {
          return serial;
        }
      } catch (RuntimeException e) {
        // no certificate for the name yet: the handshake fails until the first one arrives
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no new Pebble certificate for " + name + " on port " + port + " within "
            + wait.toSeconds() + " s; log:\n" + log.get());
      }
      Thread.sleep(100);
    }
  }

  /** Orders created since the last start, counted from Pebble's log. */
  public synchronized int orderCount() {
    List<String> lines = List.of(log().split("\n"));
    int count = 0;
    for (String line : lines) {
      if (line.contains(PEBBLE_STARTING)) {
        count = 0;
      } else if (line.contains(ORDER_ADDED)) {
        count++;
      }
    }
    return count;
  }

  /** Pebble's log over all its starts. */
  public String log() {
    try {
      return Files.readString(dir.resolve("pebble.log"), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  public int httpPort() {
    return httpPort;
  }

  public int tlsPort() {
    return tlsPort;
  }

  public int acmePort() {
    return acmePort;
  }

  public int managementPort() {
    return managementPort;
  }

  /** The instance directory: config, listener certificate, logs. */
  public Path dir() {
    return dir;
  }

  /** The body of a 200 answer over Pebble's trust, or {@code null} on any failure. */
  private String get(String url) {
    try {
      HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void stopAll() {
    List<ManagedProcess> all = new ArrayList<>();
    if (pebble != null) {
      all.add(pebble);
    }
    if (challtestsrv != null) {
      all.add(challtestsrv);
    }
    all.forEach(ManagedProcess::stop);
  }

  @Override
  public synchronized void close() {
    stopAll();
    TestDirs.deleteUnlessKept(dir);
  }

  @Override
  public String toString() {
    return "Pebble[" + directoryUrl() + ", http-01 :" + httpPort + ", tls-alpn-01 :" + tlsPort + "]";
  }
}
