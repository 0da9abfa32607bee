package dev.gatehouse.proxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An upstream on 127.0.0.1 that records every request head (and body) it receives and answers each with
 * {@code 200 ok}: tests assert what reached the application, and that nothing did. It reads bodies by
 * Content-Length or chunked framing, which is what Gatehouse writes.
 */
final class RecordingUpstream implements AutoCloseable {

  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  RecordingUpstream() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(this::accept);
  }

  int port() {
    return server.getLocalPort();
  }

  /** Every request received so far, head and body as text. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        sockets.add(socket);
        threads.execute(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
      while (true) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        String body = readBody(in, head);
        requests.add(head + body);
        out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok"
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
    } catch (IOException e) {
      // the proxy closed the connection
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int state = 0;
    for (int b; (b = in.read()) != -1; ) {
      head.write(b);
      state = (b == '\r' && state % 2 == 0) || (b == '\n' && state % 2 == 1) ? state + 1 : 0;
      if (state == 4) {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  private static String readBody(InputStream in, String head) throws IOException {
    String lower = head.toLowerCase(Locale.ROOT);
    if (lower.contains("\r\ntransfer-encoding: chunked")) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      while (true) {
        String sizeLine = readLine(in);
        int size = Integer.parseInt(sizeLine.trim(), 16);
        if (size == 0) {
          readLine(in);
          return body.toString(StandardCharsets.ISO_8859_1);
        }
        body.write(in.readNBytes(size));
        readLine(in);
      }
    }
    int at = lower.indexOf("\r\ncontent-length:");
    if (at < 0) {
      return "";
    }
    int eol = lower.indexOf("\r\n", at + 2);
    int length = Integer.parseInt(lower.substring(at + 17, eol).trim());
    return new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
  }

  private static String readLine(InputStream in) throws IOException {
    List<Integer> bytes = new ArrayList<>();
    for (int b; (b = in.read()) != -1 && b != '\n'; ) {
      bytes.add(b);
    }
    StringBuilder line = new StringBuilder();
    bytes.forEach(b -> line.append((char) b.intValue()));
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    threads.shutdownNow();
  }
}
