package dev.gatehouse.proxy;

import dev.gatehouse.testing.Pems;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * An HTTP/2 client that writes frames by hand (RFC 9113 §4.1 layout, RFC 7541 literals), the way an attacker
 * does: client libraries refuse to send floods. Over TLS with ALPN {@code h2} to 127.0.0.1. A reader thread,
 * started on demand (a client that never reads is one of the attacks), parses what the server sends: GOAWAY
 * error code, PING acknowledgements, stream ids of HEADERS and RST_STREAM. Not thread-safe for sending.
 */
final class Http2FrameClient implements AutoCloseable {

  static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  static final int DATA = 0x0;
  static final int HEADERS = 0x1;
  static final int RST_STREAM = 0x3;
  static final int SETTINGS = 0x4;
  static final int PING = 0x6;
  static final int GOAWAY = 0x7;
  static final int WINDOW_UPDATE = 0x8;
  static final int CONTINUATION = 0x9;
  static final int END_STREAM = 0x1;
  static final int ACK = 0x1;
  static final int END_HEADERS = 0x4;
  static final int CANCEL = 0x8;
  static final int ENHANCE_YOUR_CALM = 0xb;

  private final Socket socket;
  private final OutputStream out;
  private final Object lock = new Object();
  private final List<Integer> responseHeaderStreams = new CopyOnWriteArrayList<>();
  private final List<Integer> resetStreams = new CopyOnWriteArrayList<>();
  private Thread reader;
  private int goAwayError = -1;
  private boolean ended;
  private long lastPingAck = -1;
  private long framesReceived;

  private Http2FrameClient(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
  }

  /**
   * Connects, shakes hands (SNI {@code host}, ALPN h2) and sends the preface and an empty SETTINGS.
   *
   * @param receiveBufferBytes the socket's receive buffer, set before connecting; small for a client that means
   *     not to read, so the server's answers pile up on its side instead of in this kernel's buffer
   */
  static Http2FrameClient connect(int port, String host, Path caPem, int receiveBufferBytes) {
    Socket plain = new Socket();
    try {
      plain.setReceiveBufferSize(receiveBufferBytes);
      plain.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      plain.setSoTimeout(30_000);
      SSLSocket tls = (SSLSocket) Pems.trusting(caPem).getSocketFactory().createSocket(plain, host, port, true);
      SSLParameters parameters = tls.getSSLParameters();
      parameters.setServerNames(List.of(new SNIHostName(host)));
      parameters.setApplicationProtocols(new String[] {"h2"});
      tls.setSSLParameters(parameters);
      tls.startHandshake();
      if (!"h2".equals(tls.getApplicationProtocol())) {
        throw new IllegalStateException("server chose '" + tls.getApplicationProtocol() + "', not h2");
      }
      Http2FrameClient client = new Http2FrameClient(tls);
      client.out.write(PREFACE);
      client.out.write(frame(SETTINGS, 0, 0, new byte[0]));
      client.out.flush();
      return client;
    } catch (IOException e) {
      try {
        plain.close();
      } catch (IOException ignored) {
        // the connect error is the one to report
      }
      throw new UncheckedIOException("h2 connection to 127.0.0.1:" + port + " failed: " + e.getMessage(), e);
    }
  }

  /** Starts the thread that reads and parses everything the server sends, until it closes. */
  Http2FrameClient startReading() {
    reader = new Thread(this::readFrames, "h2-frame-reader");
    reader.setDaemon(true);
    reader.start();
    return this;
  }

  /** Writes {@code bytes}; false when the server has closed the connection (the write failed). */
  boolean send(byte[] bytes) {
    try {
      out.write(bytes);
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Sends PING {@code id} and waits for its acknowledgement: the server has then processed every frame sent
   * before it (RFC 9113 §6.7 answers in order). False when the connection ended first.
   */
  boolean sync(long id, Duration patience) throws InterruptedException {
    if (!send(frame(PING, 0, 0, ByteBuffer.allocate(8).putLong(id).array()))) {
      return false;
    }
    long until = System.nanoTime() + patience.toNanos();
    synchronized (lock) {
      while (lastPingAck != id && !ended && goAwayError < 0 && System.nanoTime() < until) {
        lock.wait(50);
      }
      return lastPingAck == id && goAwayError < 0;
    }
  }

  /** Waits up to {@code patience} for a GOAWAY or the end of the connection; true if either came. */
  boolean awaitEnd(Duration patience) throws InterruptedException {
    long until = System.nanoTime() + patience.toNanos();
    synchronized (lock) {
      while (!ended && goAwayError < 0 && System.nanoTime() < until) {
        lock.wait(Math.max(1, Math.min(50, (until - System.nanoTime()) / 1_000_000)));
      }
      return ended || goAwayError >= 0;
    }
  }

  /** Whether a GOAWAY came or the connection closed. */
  boolean ended() {
    synchronized (lock) {
      return ended || goAwayError >= 0;
    }
  }

  /** The error code of the server's GOAWAY; -1 if none came. */
  int goAwayError() {
    synchronized (lock) {
      return goAwayError;
    }
  }

  /** Streams the server reset (RST_STREAM). */
  List<Integer> resetStreams() {
    return List.copyOf(resetStreams);
  }

  /** Streams on which the server sent response HEADERS. */
  List<Integer> responseHeaderStreams() {
    return List.copyOf(responseHeaderStreams);
  }

  private void readFrames() {
    try (DataInputStream in = new DataInputStream(socket.getInputStream())) {
      while (true) {
        int length = (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        int type = in.readUnsignedByte();
        int flags = in.readUnsignedByte();
        int stream = in.readInt() & 0x7fffffff;
        byte[] payload = in.readNBytes(length);
        synchronized (lock) {
          framesReceived++;
          if (type == GOAWAY && payload.length >= 8) {
            goAwayError = ByteBuffer.wrap(payload, 4, 4).getInt();
          } else if (type == PING && (flags & ACK) != 0 && payload.length == 8) {
            lastPingAck = ByteBuffer.wrap(payload).getLong();
          } else if (type == HEADERS) {
            responseHeaderStreams.add(stream);
          } else if (type == RST_STREAM) {
            resetStreams.add(stream);
          }
          lock.notifyAll();
        }
      }
    } catch (IOException e) {
      synchronized (lock) {
        ended = true;
        lock.notifyAll();
      }
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already closed by the server
    }
  }

  /** One frame: 24-bit length, type, flags, 31-bit stream id, payload. */
  static byte[] frame(int type, int flags, int stream, byte[] payload) {
    ByteBuffer f = ByteBuffer.allocate(9 + payload.length);
    f.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
    f.put((byte) type).put((byte) flags).putInt(stream).put(payload);
    return f.array();
  }

  /** Several frames in one write. */
  static byte[] frames(byte[]... frames) {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    for (byte[] f : frames) {
      all.writeBytes(f);
    }
    return all.toByteArray();
  }

  /** {@code count} copies of one frame in one write. */
  static byte[] repeated(byte[] frame, int count) {
    byte[] all = new byte[frame.length * count];
    for (int i = 0; i < count; i++) {
      System.arraycopy(frame, 0, all, i * frame.length, frame.length);
    }
    return all;
  }

  /**
   * A request header block: {@code method} (indexed GET 0x82 or POST 0x83), :scheme https (0x87), literal
   * :path and :authority with static-table names (RFC 7541 §6.2.2, Appendix A), then {@code extra} fields.
   */
  static byte[] requestBlock(String method, String path, String authority, byte[]... extra) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(method.equals("POST") ? 0x83 : 0x82);
    b.write(0x87);
    literal(b, 4, path);
    literal(b, 1, authority);
    for (byte[] e : extra) {
      b.writeBytes(e);
    }
    return b.toByteArray();
  }

  /** RFC 7541 §6.2.2 literal without indexing, new name (names and values under 128 bytes). */
  static byte[] field(String name, String value) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    b.write(0);
    b.write(name.length());
    b.writeBytes(name.getBytes(StandardCharsets.ISO_8859_1));
    b.write(value.length());
    b.writeBytes(value.getBytes(StandardCharsets.ISO_8859_1));
    return b.toByteArray();
  }

  private static void literal(ByteArrayOutputStream b, int nameIndex, String value) {
    b.write(nameIndex);
    b.write(value.length());
    b.writeBytes(value.getBytes(StandardCharsets.ISO_8859_1));
  }
}
