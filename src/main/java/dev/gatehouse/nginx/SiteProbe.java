package dev.gatehouse.nginx;

import dev.gatehouse.config.Upstream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One HTTP/1.1 request the way a browser would send it to this site, but to an address the caller picks
 * (the name need not resolve here): plain HTTP, HTTPS with SNI, or to the app server's socket. HTTPS
 * trusts exactly one certificate, the one nginx is expected to serve: the check is "nginx serves this
 * certificate", not "some CA vouches for whatever it serves". Every call blocks, bounded by {@link #TIMEOUT}.
 */
final class SiteProbe {

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** Enough of any answer to read its status and headers. */
  private static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private SiteProbe() {}

  /** Status line, header fields in order, and the certificate the server presented (HTTPS only). */
  record Response(int status, List<Map.Entry<String, String>> headers, X509Certificate presented) {
    List<String> all(String name) {
      return headers.stream().filter(h -> h.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
    }

    String first(String name) {
      List<String> values = all(name);
      return values.isEmpty() ? null : values.get(0);
    }
  }

  static Response http(String address, int port, String hostHeader, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), (int) TIMEOUT.toMillis());
      s.setSoTimeout((int) TIMEOUT.toMillis());
      return exchange(s.getInputStream(), s.getOutputStream(), hostHeader, path, null);
    }
  }

  /** HTTPS to {@code address:port} with SNI {@code name}; the handshake fails unless the leaf is {@code expected}. */
  static Response https(String address, int port, String name, String hostHeader, String path, X509Certificate expected)
      throws IOException {
    SSLContext tls;
    try {
      tls = SSLContext.getInstance("TLS");
      tls.init(null, new TrustManager[] {new PinnedLeaf(expected)}, null);
    } catch (GeneralSecurityException e) {
      throw new IOException("no TLS client: " + e.getMessage(), e);
    }
    try (Socket raw = new Socket()) {
      raw.connect(new InetSocketAddress(address, port), (int) TIMEOUT.toMillis());
      raw.setSoTimeout((int) TIMEOUT.toMillis());
      try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(raw, name, port, false)) {
        SSLParameters params = s.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName(name)));
        s.setSSLParameters(params);
        s.startHandshake();
        X509Certificate presented = (X509Certificate) s.getSession().getPeerCertificates()[0];
        return exchange(s.getInputStream(), s.getOutputStream(), hostHeader, path, presented);
      }
    }
  }

  /** A request straight to Gunicorn or Uvicorn, as nginx will send it. */
  static Response upstream(Upstream upstream, String hostHeader) throws IOException {
    if (upstream instanceof Upstream.UnixSocket socket) {
      try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket.socket()))) {
        send(Channels.newOutputStream(ch), hostHeader, "/");
        return receive(new TimedInput(ch), null);
      }
    }
    Upstream.Tcp tcp = (Upstream.Tcp) upstream;
    return http(tcp.host(), tcp.port(), hostHeader, "/");
  }

  private static Response exchange(InputStream in, OutputStream out, String host, String path, X509Certificate presented)
      throws IOException {
    send(out, host, path);
    return receive(in, presented);
  }

  private static void send(OutputStream out, String host, String path) throws IOException {
    String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: gatehouse-nginx-setup\r\n"
        + "Accept: */*\r\nConnection: close\r\n\r\n";
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static Response receive(InputStream in, X509Certificate presented) throws IOException {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    int n;
    while (got.size() < MAX_RESPONSE_BYTES && (n = in.read(buf)) > 0) {
      got.write(buf, 0, n);
      if (got.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
        break;
      }
    }
    String head = got.toString(StandardCharsets.ISO_8859_1);
    int end = head.indexOf("\r\n\r\n");
    if (!head.startsWith("HTTP/") || end < 0) {
      throw new IOException("not an HTTP response: " + head.lines().findFirst().orElse("(nothing)"));
    }
    String[] lines = head.substring(0, end).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.add(Map.entry(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim()));
      }
    }
    try {
      return new Response(Integer.parseInt(statusLine[1]), headers, presented);
    } catch (RuntimeException e) {
      throw new IOException("bad status line: " + lines[0], e);
    }
  }

  /** Accepts the server only if its leaf is exactly the expected certificate. */
  private static final class PinnedLeaf implements X509TrustManager {
    private final X509Certificate expected;

    PinnedLeaf(X509Certificate expected) {
      this.expected = expected;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      if (chain.length == 0 || !chain[0].equals(expected)) {
        String got = chain.length == 0 ? "none" : chain[0].getSerialNumber().toString(16);
        throw new CertificateException(
            "nginx presented certificate serial " + got + ", expected the new one, serial "
                + expected.getSerialNumber().toString(16));
      }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
      throw new CertificateException("no client certificates here");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  /** A socket channel read with {@link #TIMEOUT}: Unix sockets have no SO_TIMEOUT in java.nio. */
  private static final class TimedInput extends InputStream {
    private final SocketChannel ch;
    private final long deadline = System.nanoTime() + TIMEOUT.toNanos();

    TimedInput(SocketChannel ch) throws IOException {
      this.ch = ch;
      ch.configureBlocking(false);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      ByteBuffer buf = ByteBuffer.wrap(b, off, len);
      try (Selector sel = Selector.open()) {
        ch.register(sel, SelectionKey.OP_READ);
        while (true) {
          int n = ch.read(buf);
          if (n != 0) {
            return n;
          }
          long left = (deadline - System.nanoTime()) / 1_000_000;
          if (left <= 0) {
            throw new IOException("no answer within " + TIMEOUT.toSeconds() + " s");
          }
          sel.select(left);
          sel.selectedKeys().clear();
        }
      }
    }
  }
}
