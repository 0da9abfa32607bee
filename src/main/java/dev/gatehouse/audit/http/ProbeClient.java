package dev.gatehouse.audit.http;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A small HTTP/1.1 client for probing one deployment: it connects to the address {@link HostResolver} gives
 * (so {@code --resolve} works, which {@code java.net.http.HttpClient} cannot do), sends SNI and {@code Host}
 * for the name in the URI, never follows redirects on its own, and opens one connection per request
 * ({@code Connection: close}) so that every response is judged on its own. Thread-safe.
 */
public final class ProbeClient {
  /** Sent as {@code User-Agent} so that server logs show who asked. */
  public static final String USER_AGENT = "gatehouse-audit";

  private final HostResolver resolver;
  private final TlsConnector tls;
  private final ProbeLimits limits;
  private final Consumer<ProbeResponse> observer;

  /** @param observer sees every response received (the audit's record of cookies set) */
  public ProbeClient(HostResolver resolver, ProbeLimits limits, Consumer<ProbeResponse> observer) {
    this.resolver = resolver;
    this.limits = limits;
    this.observer = observer;
    this.tls = new TlsConnector(limits.connectTimeout(), limits.readTimeout());
  }

  public ProbeLimits limits() {
    return limits;
  }

  public TlsConnector tls() {
    return tls;
  }

  /** Sends one request and reads its response. */
  public ProbeResponse send(ProbeRequest request) throws IOException {
    URI uri = request.uri();
    boolean https = uri.getScheme().equalsIgnoreCase("https");
    int port = port(uri);
    String host = uri.getHost();
    String hostName = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    InetAddress address = resolver.resolve(hostName);
    try (Socket socket = https
        ? tls.open(hostName, address, port, List.of(), List.of("http/1.1"))
        : plainSocket(address, port)) {
      OutputStream out = new BufferedOutputStream(socket.getOutputStream());
      out.write(encode(request, port, https));
      out.flush();
      ProbeResponse response = ResponseReader.read(new BufferedInputStream(socket.getInputStream()), request,
          limits);
      observer.accept(response);
      return response;
    }
  }

  /**
   * Sends {@code first} and follows each redirect with a GET (RFC 9110 §15.4: what browsers do for 301, 302
   * and 303; for 307 and 308 the audit only ever follows GETs), keeping the extra header fields.
   */
  public RedirectChain follow(ProbeRequest first) {
    List<ProbeResponse> hops = new ArrayList<>();
    Set<URI> visited = new HashSet<>();
    ProbeRequest next = first;
    while (true) {
      ProbeResponse response;
      try {
        response = send(next);
      } catch (IOException e) {
        return new RedirectChain(hops, RedirectChain.Ending.FAILED, Optional.of(describe(e)),
            Optional.of(next.uri()));
      }
      hops.add(response);
      visited.add(normalize(next.uri()));
      if (!response.isRedirect()) {
        return new RedirectChain(hops, RedirectChain.Ending.ARRIVED, Optional.empty(), Optional.empty());
      }
      Optional<URI> location = response.location();
      if (location.isEmpty() || !isHttp(location.get())) {
        return new RedirectChain(hops, RedirectChain.Ending.FAILED,
            Optional.of("unusable Location: " + response.header("Location").orElse("")), Optional.empty());
      }
      if (visited.contains(normalize(location.get()))) {
        return new RedirectChain(hops, RedirectChain.Ending.LOOP, Optional.empty(), Optional.empty());
      }
      if (hops.size() > limits.maxRedirects()) {
        return new RedirectChain(hops, RedirectChain.Ending.TOO_MANY, Optional.empty(), Optional.empty());
      }
      next = new ProbeRequest("GET", location.get(), next.headers(), new byte[0]);
    }
  }

  /** The port a URI means, with the scheme's default when none is written. */
  public static int port(URI uri) {
    if (uri.getPort() != -1) {
      return uri.getPort();
    }
    return uri.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  /** A one-line reason for a failed request, for reports ("Connection refused", "Read timed out"). */
  public static String describe(IOException e) {
    String message = e.getMessage();
    String kind = e.getClass().getSimpleName();
    return message == null || message.isBlank() ? kind : kind + ": " + message;
  }

  private Socket plainSocket(InetAddress address, int port) throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress(address, port), (int) limits.connectTimeout().toMillis());
      socket.setSoTimeout((int) limits.readTimeout().toMillis());
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  private static boolean isHttp(URI uri) {
    String scheme = uri.getScheme();
    return uri.getHost() != null && scheme != null
        && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"));
  }

  /**
   * {@code uri} as the audit compares URLs: scheme and host in lower case, the port written out, an empty path
   * as {@code /}, no fragment. Two URIs that normalize equal name the same resource (RFC 3986 §6.2.3).
   */
  public static URI normalize(URI uri) {
    String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return URI.create(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port(uri) + path + query);
  }

  private static byte[] encode(ProbeRequest request, int port, boolean https) {
    URI uri = request.uri();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    int defaultPort = https ? 443 : 80;
    // RFC 9110 §7.2: Host carries the port when it is not the scheme's default.
    String hostField = port == defaultPort ? uri.getHost() : uri.getHost() + ":" + port;
    StringBuilder head = new StringBuilder()
        .append(request.method()).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("Host: ").append(hostField).append("\r\n")
        .append("User-Agent: ").append(USER_AGENT).append("\r\n")
        .append("Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n")
        .append("Connection: close\r\n");
    for (HeaderFields.Field field : request.headers().asList()) {
      head.append(field.name()).append(": ").append(field.value()).append("\r\n");
    }
    if (request.body().length > 0 || request.method().equals("POST")) {
      head.append("Content-Length: ").append(request.body().length).append("\r\n");
    }
    head.append("\r\n");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    bytes.writeBytes(request.body());
    return bytes.toByteArray();
  }
}
