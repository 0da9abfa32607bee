package dev.gatehouse.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A tiny HTTP/1.x client to 127.0.0.1 that sends bytes exactly as given (odd request lines,
 * duplicate headers, smuggling attempts) and returns the response exactly as received.
 * Over TLS it sends the SNI name given and verifies the server's chain against the given PEM
 * trust and its name against that SNI name, as a browser would; the JDK HttpClient cannot
 * connect to 127.0.0.1 while naming another host.
 *
 * <pre>{@code
 * RawResponse r = RawHttp.tls(port, "app.test", caPem).exchange(RawHttp.get("app.test", "/echo/"));
 * }</pre>
 */
public final class RawHttp {

  /** Default connect and read timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  /** Largest response head accepted. */
  public static final int MAX_HEAD_BYTES = 256 * 1024;

  private final int port;
  private final String sniName;
  private final SSLContext tls;
  private Duration timeout = DEFAULT_TIMEOUT;
  private String[] alpn = new String[0];

  private RawHttp(int port, String sniName, SSLContext tls) {
    this.port = port;
    this.sniName = sniName;
    this.tls = tls;
  }

  /** Plain TCP to 127.0.0.1:{@code port}. */
  public static RawHttp plain(int port) {
    return new RawHttp(port, null, null);
  }

  /** TLS to 127.0.0.1:{@code port} with SNI {@code sniName}, trusting only {@code trustPems}, checking the name. */
  public static RawHttp tls(int port, String sniName, Path... trustPems) {
    return new RawHttp(port, sniName, Pems.trusting(trustPems));
  }

  /** Connect and read timeout (default 10 s); a read that times out throws. */
  public RawHttp timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /** ALPN protocols to offer (TLS only), e.g. "http/1.1". */
  public RawHttp alpn(String... protocols) {
    this.alpn = protocols.clone();
    return this;
  }

  /** {@code GET path HTTP/1.1} with Host and {@code Connection: close}, CRLF line ends. */
  public static String get(String host, String path) {
    return "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n";
  }

  /** Sends {@code request} on a new connection, reads one response, closes. */
  public RawResponse exchange(String request) {
    return exchange(request.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Sends {@code request} on a new connection, reads one response, closes. */
  public RawResponse exchange(byte[] request) {
    try (Connection connection = open()) {
      connection.send(request);
      return connection.readResponse(startsWithHead(request));
    }
  }

  /** Sends {@code request} and returns every byte until the server closes (or the timeout passes). */
  public byte[] sendAndReadToClose(byte[] request) {
    try (Connection connection = open()) {
      connection.send(request);
      return connection.readToClose();
    }
  }

  private static boolean startsWithHead(byte[] request) {
    return new String(request, 0, Math.min(5, request.length), StandardCharsets.ISO_8859_1).equals("HEAD ");
  }

  /** Opens a connection (TLS handshake included) for several exchanges. */
  public Connection open() {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      if (tls == null) {
        return new Connection(socket, null);
      }
      SSLSocket secure = (SSLSocket) tls.getSocketFactory().createSocket(socket, sniName, port, true);
      SSLParameters parameters = secure.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(sniName)));
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      if (alpn.length > 0) {
        parameters.setApplicationProtocols(alpn);
      }
      secure.setSSLParameters(parameters);
      secure.startHandshake();
      return new Connection(secure, secure);
    } catch (IOException e) {
      closeQuietly(socket);
      throw new UncheckedIOException("connection to 127.0.0.1:" + port
          + (sniName == null ? "" : " (SNI " + sniName + ")") + " failed: " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing after a failure: the first error is the one to report
    }
  }

  /** One open connection: send bytes, read responses one by one. Not thread-safe. */
  public static final class Connection implements AutoCloseable {
    private final Socket socket;
    private final SSLSocket secure;
    private final InputStream in;
    private final OutputStream out;

    private Connection(Socket socket, SSLSocket secure) throws IOException {
      this.socket = socket;
      this.secure = secure;
      this.in = new BufferedInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    /** The TLS session (protocol, cipher suite, peer certificates); {@code null} for plain TCP. */
    public SSLSession tlsSession() {
      return secure == null ? null : secure.getSession();
    }

    /** The ALPN protocol the server chose; {@code null} for plain TCP, "" when none. */
    public String applicationProtocol() {
      return secure == null ? null : secure.getApplicationProtocol();
    }

    public void send(String bytes) {
      send(bytes.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void send(byte[] bytes) {
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        throw new UncheckedIOException("send failed", e);
      }
    }

    /** Half-closes the sending side (TCP FIN), as a client that has nothing more to say. */
    public void shutdownOutput() {
      try {
        if (secure == null) {
          socket.shutdownOutput();
        } else {
          secure.shutdownOutput();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Reads the next response; {@code headRequest}: it answers a HEAD, so it has no body. */
    public RawResponse readResponse(boolean headRequest) {
      ByteArrayOutputStream raw = new ByteArrayOutputStream();
      try {
        List<String> head = readHead(raw);
        String statusLine = head.get(0);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
          throw new IOException("not an HTTP status line: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Headers headers = Headers.parse(head.subList(1, head.size()));
        byte[] body = readBody(headers, status, headRequest, raw);
        return new RawResponse(statusLine, status, headers, body, raw.toByteArray());
      } catch (IOException e) {
        throw new UncheckedIOException("reading a response failed after "
            + raw.size() + " bytes: " + raw.toString(StandardCharsets.ISO_8859_1), e);
      }
    }

    /** Reads the next response to a non-HEAD request. */
    public RawResponse readResponse() {
      return readResponse(false);
    }

    /** Every byte until the server closes the connection; stops at the read timeout too. */
    public byte[] readToClose() {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      try {
        for (int n; (n = in.read(buffer)) != -1; ) {
          all.write(buffer, 0, n);
        }
      } catch (SocketTimeoutException e) {
        return all.toByteArray();
      } catch (IOException e) {
        // a reset after the server's last bytes still leaves what it sent
        return all.toByteArray();
      }
      return all.toByteArray();
    }

    /** True when the server has closed (read returns end of stream within the timeout). */
    public boolean serverClosed() {
      try {
        return in.read() == -1;
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        return true;
      }
    }

    private List<String> readHead(ByteArrayOutputStream raw) throws IOException {
      List<String> lines = new ArrayList<>();
      while (true) {
        String line = readLine(raw);
        if (line.isEmpty()) {
          if (lines.isEmpty()) {
            continue;
          }
          return lines;
        }
        lines.add(line);
        if (raw.size() > MAX_HEAD_BYTES) {
          throw new IOException("response head larger than " + MAX_HEAD_BYTES + " bytes");
        }
      }
    }

    private String readLine(ByteArrayOutputStream raw) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      while (true) {
        int b = in.read();
        if (b == -1) {
          throw new EOFException("connection closed");
        }
        raw.write(b);
        if (b == '\n') {
          byte[] bytes = line.toByteArray();
          int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
          return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
        }
        line.write(b);
      }
    }

    private byte[] readBody(Headers headers, int status, boolean headRequest, ByteArrayOutputStream raw)
        throws IOException {
      // RFC 9112 §6.3: responses to HEAD, 1xx, 204 and 304 have no body.
      if (headRequest || status / 100 == 1 || status == 204 || status == 304) {
        return new byte[0];
      }
      String encoding = headers.value("Transfer-Encoding");
      if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
        return readChunked(raw);
      }
      String length = headers.value("Content-Length");
      if (length != null) {
        byte[] body = in.readNBytes(Integer.parseInt(length.trim()));
        raw.write(body);
        if (body.length < Integer.parseInt(length.trim())) {
          throw new EOFException("body ended after " + body.length + " of " + length + " bytes");
        }
        return body;
      }
      byte[] body = in.readAllBytes();
      raw.write(body);
      return body;
    }

    private byte[] readChunked(ByteArrayOutputStream raw) throws IOException {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine(raw);
        int semicolon = sizeLine.indexOf(';');
        int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
        if (size == 0) {
          while (!readLine(raw).isEmpty()) {
            // trailer fields are read and dropped
          }
          return body.toByteArray();
        }
        byte[] chunk = in.readNBytes(size);
        if (chunk.length < size) {
          throw new EOFException("chunk ended after " + chunk.length + " of " + size + " bytes");
        }
        raw.write(chunk);
        body.write(chunk);
        readLine(raw);
      }
    }

    @Override
    public void close() {
      closeQuietly(socket);
    }
  }
}
