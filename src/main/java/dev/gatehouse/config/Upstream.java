package dev.gatehouse.config;

import java.nio.file.Path;
import java.util.Locale;

/** Where the application server (Gunicorn, Uvicorn) listens: a Unix domain socket or a TCP address. */
public sealed interface Upstream {

  String EXPECTED = "unix:/path/to.sock, HOST:PORT or http://HOST:PORT";

  /** The form {@code --upstream} takes, so a parsed value can be printed back or round-tripped. */
  String spec();

  /** Gunicorn's usual deployment: {@code gunicorn --bind unix:/run/gunicorn.sock}. */
  record UnixSocket(Path socket) implements Upstream {
    @Override
    public String spec() {
      return "unix:" + socket;
    }
  }

  /** Uvicorn's usual deployment: {@code uvicorn --host 127.0.0.1 --port 8000}. */
  record Tcp(String host, int port) implements Upstream {
    @Override
    public String spec() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /**
   * Parses {@code unix:/path/to.sock}, {@code HOST:PORT}, {@code [::1]:PORT} or {@code http://HOST:PORT}.
   *
   * @param where the flag or file the value came from, for the error message
   */
  static Upstream parse(String where, String value) throws ConfigException {
    String v = value.trim();
    if (v.startsWith("unix:")) {
      String path = v.substring("unix:".length());
      if (path.startsWith("//")) {
        path = path.substring(2);
      }
      if (path.isEmpty() || !path.startsWith("/")) {
        throw ConfigException.invalid(where, value, "an absolute socket path, " + EXPECTED);
      }
      return new UnixSocket(Path.of(path));
    }
    String hostPort = v;
    String lower = v.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://")) {
      hostPort = v.substring("http://".length());
      if (hostPort.endsWith("/")) {
        hostPort = hostPort.substring(0, hostPort.length() - 1);
      }
    } else if (lower.contains("://")) {
      throw ConfigException.invalid(
          where, value, "plain HTTP to the app server: " + EXPECTED + "; TLS to the upstream is not supported");
    }
    String host;
    String port;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0 || close + 1 >= hostPort.length() || hostPort.charAt(close + 1) != ':') {
        throw ConfigException.invalid(where, value, EXPECTED);
      }
      host = hostPort.substring(1, close);
      port = hostPort.substring(close + 2);
    } else {
      int colon = hostPort.lastIndexOf(':');
      if (colon <= 0 || hostPort.indexOf(':') != colon) {
        throw ConfigException.invalid(where, value, EXPECTED);
      }
      host = hostPort.substring(0, colon);
      port = hostPort.substring(colon + 1);
    }
    if (host.isEmpty() || host.contains("/")) {
      throw ConfigException.invalid(where, value, EXPECTED);
    }
    try {
      return new Tcp(host, Ports.parse(where, port, false));
    } catch (ConfigException e) {
      throw ConfigException.invalid(where, value, "a port from 1 to 65535 in " + EXPECTED);
    }
  }
}
