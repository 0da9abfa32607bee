package dev.gatehouse.acme;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An ACME server that answers from recorded JSON (src/test/resources/acme) for what Pebble 2.4 cannot
 * produce: renewalInfo (RFC 9773), profiles, rate limits, long badNonce streaks. Plain HTTP on 127.0.0.1;
 * every answer carries a fresh {@code Replay-Nonce}. Unscripted paths answer 404.
 */
final class RecordedAcmeServer implements AutoCloseable {

  /** One scripted answer: a status, a recorded body (or none) with {@code BASE} replaced, headers. */
  record Answer(int status, String resource, Map<String, String> headers) {
    static Answer of(int status, String resource) {
      return new Answer(status, resource, Map.of());
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<String, Deque<Answer>> script = new ConcurrentHashMap<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, List<JsonNode>> payloads = new ConcurrentHashMap<>();
  private final AtomicLong nonces = new AtomicLong();

  private RecordedAcmeServer(String directoryResource) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    answer("/dir", Answer.of(200, directoryResource));
    answer("/acme/new-acct", new Answer(201, "account.json", Map.of("Location", "BASE/acme/acct/1")));
    answer("/sign-me-up", new Answer(201, "account.json", Map.of("Location", "BASE/acme/acct/1")));
    server.start();
  }

  static RecordedAcmeServer start(String directoryResource) throws IOException {
    return new RecordedAcmeServer(directoryResource);
  }

  URI directory() {
    return URI.create(base() + "/dir");
  }

  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers {@code path} with these answers in turn; the last one repeats. */
  void answer(String path, Answer... answers) {
    script.put(path, new ArrayDeque<>(List.of(answers)));
  }

  /** {@code METHOD PATH} of every request so far. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  /** The JWS payloads POSTed to {@code path}, decoded (RFC 8555 §6.2). */
  List<JsonNode> payloads(String path) {
    return List.copyOf(payloads.getOrDefault(path, List.of()));
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      requests.add(exchange.getRequestMethod() + " " + path);
      exchange.getResponseHeaders().set("Replay-Nonce", "nonce" + nonces.incrementAndGet());
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      if (exchange.getRequestMethod().equals("POST")) {
        JsonNode jws = JSON.readTree(exchange.getRequestBody());
        String payload = jws.path("payload").asText();
        payloads.computeIfAbsent(path, p -> Collections.synchronizedList(new ArrayList<>()))
            .add(payload.isEmpty() ? JSON.nullNode() : JSON.readTree(Base64.getUrlDecoder().decode(payload)));
      }
      if (path.endsWith("/new-nonce") || path.endsWith("/nonce-plz")) {
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      Deque<Answer> answers = script.get(path);
      if (answers == null) {
        answers = script.entrySet().stream().filter(e -> e.getKey().endsWith("/*")
                && path.startsWith(e.getKey().substring(0, e.getKey().length() - 1)))
            .map(Map.Entry::getValue).findFirst().orElse(null);
      }
      if (answers == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      Answer answer;
      synchronized (answers) {
        answer = answers.size() > 1 ? answers.poll() : answers.peek();
      }
      answer.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v.replace("BASE", base())));
      if (answer.resource() == null) {
        exchange.sendResponseHeaders(answer.status(), -1);
        return;
      }
      byte[] body = recorded(answer.resource()).replace("BASE", base()).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type",
          answer.resource().startsWith("problem-") ? "application/problem+json" : "application/json");
      exchange.sendResponseHeaders(answer.status(), body.length);
      exchange.getResponseBody().write(body);
    }
  }

  static String recorded(String resource) {
    try (InputStream in = RecordedAcmeServer.class.getResourceAsStream("/acme/" + resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no recorded answer src/test/resources/acme/" + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
