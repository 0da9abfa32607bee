package dev.gatehouse.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Debian's {@code chromium}, headless, driven over the DevTools protocol on loopback: a real browser with
 * its own certificate verifier, HTTP/2, cookies and form submission. Each instance has a fresh profile
 * and runs with {@code HOME} set to the given directory, so it reads (only) that home's NSS database
 * ({@code ~/.pki/nssdb}) for locally trusted roots.
 */
public final class HeadlessChromium implements AutoCloseable {

  /** Chromium's start, and each page load or script, on a loaded machine. */
  public static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path profile;
  private final ManagedProcess process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private HeadlessChromium(Path profile, ManagedProcess process, WebSocket socket) {
    this.profile = profile;
    this.process = process;
    this.socket = socket;
  }

  /** Starts Chromium with {@code HOME=home} and returns once its first page can be driven. */
  public static HeadlessChromium start(Path home) {
    Path profile = TestDirs.newInstanceDir("chromium");
    ManagedProcess process = ManagedProcess.start("chromium",
        List.of("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--user-data-dir=" + profile,
            "about:blank"),
        Map.of("HOME", home.toString()), profile, profile.resolve("chromium.log"));
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      process.awaitReady("chromium DevTools port", TIMEOUT, () -> Files.isRegularFile(portFile) && size(portFile) > 0);
      String port = Files.readAllLines(portFile, StandardCharsets.UTF_8).get(0).strip();
      HttpClient http = HttpClient.newHttpClient();
      JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      String page = null;
      for (JsonNode target : targets) {
        if (target.path("type").asText().equals("page")) {
          page = target.path("webSocketDebuggerUrl").asText();
        }
      }
      if (page == null) {
        throw process.failure("chromium has no page target: " + targets);
      }
      HeadlessChromium[] self = new HeadlessChromium[1];
      WebSocket socket = http.newWebSocketBuilder().buildAsync(URI.create(page), new WebSocket.Listener() {
        private final StringBuilder message = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
          message.append(data);
          if (last) {
            self[0].received(message.toString());
            message.setLength(0);
          }
          ws.request(1);
          return null;
        }
      }).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      self[0] = new HeadlessChromium(profile, process, socket);
      return self[0];
    } catch (Exception e) {
      process.stop();
      TestDirs.deleteUnlessKept(profile);
      throw new IllegalStateException("cannot drive chromium: " + e + "\n" + process.logTail(ManagedProcess.LOG_TAIL_LINES), e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private void received(String text) {
    try {
      JsonNode message = JSON.readTree(text);
      CompletableFuture<JsonNode> waiting = pending.remove(message.path("id").asInt(-1));
      if (waiting != null) {
        waiting.complete(message);
      }
    } catch (IOException e) {
      throw new IllegalStateException("DevTools sent no JSON: " + text, e);
    }
  }

  /** One DevTools command; its {@code result}, or throws with the protocol error. */
  private JsonNode send(String method, ObjectNode params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode command = JSON.createObjectNode().put("id", id).put("method", method);
    command.set("params", params);
    socket.sendText(command.toString(), true).join();
    try {
      JsonNode message = answer.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      if (message.has("error")) {
        throw new IllegalStateException(method + ": " + message.get("error"));
      }
      return message.path("result");
    } catch (Exception e) {
      throw new IllegalStateException(method + " failed: " + e + "\n" + process.logTail(ManagedProcess.LOG_TAIL_LINES), e);
    }
  }

  /**
   * Opens {@code url} and waits until it has loaded. Returns Chromium's network error ({@code
   * net::ERR_CERT_AUTHORITY_INVALID}), or an empty string when the page loaded.
   */
  public String open(String url) {
    JsonNode result = send("Page.navigate", JSON.createObjectNode().put("url", url));
    String error = result.path("errorText").asText("");
    if (error.isEmpty()) {
      awaitPage("document.readyState", "complete"::equals);
    }
    return error;
  }

  /** Evaluates a JavaScript expression in the page and returns its value as text. */
  public String evaluate(String expression) {
    JsonNode result = send("Runtime.evaluate",
        JSON.createObjectNode().put("expression", expression).put("returnByValue", true));
    return result.path("result").path("value").asText("");
  }

  /** Evaluates {@code expression} until its value passes {@code done} (a navigation may be under way). */
  public String awaitPage(String expression, Predicate<String> done) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    String value = "";
    while (System.nanoTime() < deadline) {
      try {
        value = evaluate(expression);
        if (done.test(value)) {
          return value;
        }
      } catch (IllegalStateException e) {
        // The page's context went away mid-navigation: ask the next one.
      }
      ManagedProcess.sleep(100);
    }
    throw new AssertionError("after " + TIMEOUT.toSeconds() + " s, " + expression + " is still '" + value + "'");
  }

  @Override
  public void close() {
    socket.abort();
    process.stop();
    TestDirs.deleteUnlessKept(profile);
  }
}
