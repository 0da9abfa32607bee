package dev.gatehouse.cli;

import com.sun.net.httpserver.HttpServer;
import dev.gatehouse.store.StorageKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gatehouse train-startup} (hidden): what the {@code bin/gatehouse} launcher runs once per jar and Java
 * runtime under {@code -XX:ArchiveClassesAtExit}, so that the JVM records the classes a {@code serve} start and
 * its first requests load; later starts map that class-data-sharing archive instead of loading, parsing and
 * verifying about 4,000 classes again (issue 6: the first HTTPS response within a second of start). It runs a
 * real {@code serve} for {@code localhost} on loopback (a temporary state directory, so the local CA; a
 * one-line upstream; one static file) twice: the first issues the certificate, the second loads it from the
 * state directory as every restart does. Each answers HTTP/1.1 and HTTP/2 requests and stops on SIGTERM; the
 * command exits 0 when every request was answered 200 (the launcher keeps the archive only then). With
 * {@code --under-load} (the launcher on JDK 25 and later, recording an AOT cache) the second server also
 * carries a {@link TrainingLoad}, so that the cache holds the hot paths' method profiles too.
 */
@Command(name = "train-startup", hidden = true, description = "Record a class-data-sharing archive (bin/gatehouse).")
final class StartupTrainingCommand implements Callable<Integer> {

  /** How long the trained server may take to answer its first request. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /** How long a trained server may take to stop after SIGTERM (it has nothing in flight). */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private static final String STATIC_FILE = "app.css";

  @Option(names = "--under-load", description = "Load the restarted server too (method profiles for an AOT cache).")
  boolean underLoad;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("gatehouse-training-");
    HttpServer upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    upstream.createContext("/", exchange -> {
      try (InputStream body = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
        body.transferTo(OutputStream.nullOutputStream());
        byte[] answer = "trained\n".getBytes(StandardCharsets.US_ASCII);
        exchange.sendResponseHeaders(200, answer.length);
        out.write(answer);
      }
    });
    upstream.start();
    try {
      Path state = Files.createDirectory(dir.resolve("state"));
      Path files = Files.createDirectory(dir.resolve("static"));
      Files.writeString(files.resolve(STATIC_FILE), "body { margin: 0 }\n".repeat(200));
      for (int start = 0; start < 2; start++) {
        int port = freeLoopbackPort();
        Thread serve = new Thread(() -> GatehouseCommand.execute(
            "serve", "localhost", "--bind", "127.0.0.1", "--http-port", "0", "--https-port", Integer.toString(port),
            "--state-dir", state.toString(), "--upstream", "127.0.0.1:" + upstream.getAddress().getPort(),
            "--static", "/static/=" + files, "--access-log", "off"), "gatehouse-training-serve");
        serve.setDaemon(true);
        serve.start();
        Path root = state.resolve(StorageKeys.LOCAL_CA_ROOT);
        if (!requests(root, port, serve) || (underLoad && start == 1 && !load(root, port)) || !Signals.raise("TERM")) {
          return 1;
        }
        serve.join(STOP_TIMEOUT.toMillis());
        if (serve.isAlive()) {
          System.err.println("train-startup: serve did not stop within " + STOP_TIMEOUT.toSeconds() + " s of SIGTERM");
          return 1;
        }
      }
      return 0;
    } finally {
      upstream.stop(0);
      deleteTree(dir);
    }
  }

  /** Waits for the server, then sends the requests a real start sees first; false if one failed. */
  private static boolean requests(Path root, int port, Thread serve) throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    String base = "https://localhost:" + port;
    while (true) {
      try {
        SSLContext tls = trusting(root);
        for (HttpClient.Version version : List.of(HttpClient.Version.HTTP_1_1, HttpClient.Version.HTTP_2)) {
          HttpClient client = HttpClient.newBuilder().version(version).sslContext(tls)
              .connectTimeout(Duration.ofSeconds(5)).build();
          for (HttpRequest request : List.of(
              HttpRequest.newBuilder(URI.create(base + "/")).build(),
              HttpRequest.newBuilder(URI.create(base + "/static/" + STATIC_FILE)).build(),
              HttpRequest.newBuilder(URI.create(base + "/form"))
                  .POST(HttpRequest.BodyPublishers.ofString("name=gatehouse")).build())) {
            HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() != 200) {
              System.err.println("train-startup: " + request.uri() + " over " + version + " answered "
                  + response.statusCode() + ", expected 200");
              return false;
            }
          }
        }
        return true;
      } catch (IOException | GeneralSecurityException e) {
        if (!serve.isAlive() || System.nanoTime() > deadline) {
          System.err.println("train-startup: the server did not answer: " + e);
          return false;
        }
        Thread.sleep(50);
      }
    }
  }

  /** The restarted server under load, so that an AOT cache records the hot paths' profiles too. */
  private static boolean load(Path root, int port) throws InterruptedException {
    try {
      return new TrainingLoad(trusting(root), "https://localhost:" + port).run("/static/" + STATIC_FILE);
    } catch (IOException | GeneralSecurityException e) {
      System.err.println("train-startup: the local CA's root could not be read: " + e);
      return false;
    }
  }

  /** The local CA's root, once serve has written it, as the only trusted certificate. */
  private static SSLContext trusting(Path root) throws IOException, GeneralSecurityException {
    KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
    trusted.load(null, null);
    try (InputStream pem = Files.newInputStream(root)) {
      trusted.setCertificateEntry("root", CertificateFactory.getInstance("X.509").generateCertificate(pem));
    }
    TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, trust.getTrustManagers(), null);
    return tls;
  }

  private static int freeLoopbackPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
