package dev.gatehouse.audit.tls;

import dev.gatehouse.audit.http.HostResolver;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

/**
 * Sends a hand-built TLS ClientHello (RFC 5246 §7.4.1.2) offering exactly the versions and suites under test
 * and reads only the server's first answer: a ServerHello (accepted) or an alert (refused). The JDK cannot be
 * used for this: it disables TLS 1.0/1.1 and does not implement the broken suites a server must refuse. No
 * key is ever exchanged. Thread-safe.
 */
public final class ClientHelloProbe {
  private static final int HANDSHAKE = 22;
  private static final int ALERT = 21;
  private static final int CLIENT_HELLO = 1;
  private static final int SERVER_HELLO = 2;
  private static final int EXT_SERVER_NAME = 0x0000;
  private static final int EXT_SUPPORTED_GROUPS = 0x000a;
  private static final int EXT_EC_POINT_FORMATS = 0x000b;
  private static final int EXT_SIGNATURE_ALGORITHMS = 0x000d;
  private static final int EXT_SUPPORTED_VERSIONS = 0x002b;
  private static final int EXT_RENEGOTIATION_INFO = 0xff01;
  /** x25519, secp256r1, secp384r1, secp521r1, ffdhe2048 (RFC 8422 §5.1.1, RFC 7919). */
  private static final int[] GROUPS = {0x001d, 0x0017, 0x0018, 0x0019, 0x0100};
  /** RSA-PSS, ECDSA and PKCS#1 with SHA-256/384/512, then the SHA-1 ones old servers need (RFC 8446 §4.2.3). */
  private static final int[] SIGNATURE_ALGORITHMS = {
      0x0804, 0x0805, 0x0806, 0x0403, 0x0503, 0x0603, 0x0401, 0x0501, 0x0601, 0x0201, 0x0203};
  /** A ServerHello is small; anything longer is not one. */
  private static final int MAX_HANDSHAKE_BYTES = 64 * 1024;

  private final SecureRandom random = new SecureRandom();
  private final Duration connectTimeout;
  private final Duration readTimeout;

  public ClientHelloProbe(Duration connectTimeout, Duration readTimeout) {
    this.connectTimeout = connectTimeout;
    this.readTimeout = readTimeout;
  }

  /**
   * Offers {@code suites} at {@code version} (wire value: {@code 0x0301} = TLS 1.0 … {@code 0x0303} = TLS 1.2)
   * to {@code host} at {@code address:port} and reports the answer.
   *
   * @throws IOException when the server cannot be reached or answers something that is not TLS
   */
  public ServerHelloAnswer offer(String host, InetAddress address, int port, int version,
      List<CipherSuite> suites) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), (int) connectTimeout.toMillis());
      socket.setSoTimeout((int) readTimeout.toMillis());
      socket.getOutputStream().write(clientHello(host, version, suites));
      socket.getOutputStream().flush();
      return readAnswer(socket.getInputStream());
    }
  }

  byte[] clientHello(String host, int version, List<CipherSuite> suites) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeShort(body, version);
    byte[] clientRandom = new byte[32];
    random.nextBytes(clientRandom);
    body.writeBytes(clientRandom);
    body.write(0); // empty legacy_session_id
    writeShort(body, suites.size() * 2);
    suites.forEach(s -> writeShort(body, s.code()));
    body.write(1); // one compression method:
    body.write(0); // null
    ByteArrayOutputStream extensions = new ByteArrayOutputStream();
    if (!HostResolver.isIpLiteral(host)) {
      byte[] name = host.getBytes(StandardCharsets.US_ASCII);
      ByteArrayOutputStream sni = new ByteArrayOutputStream();
      writeShort(sni, name.length + 3);
      sni.write(0); // host_name
      writeShort(sni, name.length);
      sni.writeBytes(name);
      extension(extensions, EXT_SERVER_NAME, sni.toByteArray());
    }
    extension(extensions, EXT_SUPPORTED_GROUPS, shortList(GROUPS));
    extension(extensions, EXT_EC_POINT_FORMATS, new byte[] {1, 0}); // uncompressed only
    if (version >= 0x0303) {
      // RFC 5246 §7.4.1.4.1: only TLS 1.2 clients send signature_algorithms.
      extension(extensions, EXT_SIGNATURE_ALGORITHMS, shortList(SIGNATURE_ALGORITHMS));
    }
    extension(extensions, EXT_RENEGOTIATION_INFO, new byte[] {0}); // RFC 5746 §3.4: empty on first hello
    writeShort(body, extensions.size());
    body.writeBytes(extensions.toByteArray());

    ByteArrayOutputStream handshake = new ByteArrayOutputStream();
    handshake.write(CLIENT_HELLO);
    writeMedium(handshake, body.size());
    handshake.writeBytes(body.toByteArray());

    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.write(HANDSHAKE);
    // RFC 5246 Appendix E.1: the record layer of a first ClientHello says TLS 1.0 for compatibility.
    writeShort(record, 0x0301);
    writeShort(record, handshake.size());
    record.writeBytes(handshake.toByteArray());
    return record.toByteArray();
  }

  static ServerHelloAnswer readAnswer(InputStream raw) throws IOException {
    DataInputStream in = new DataInputStream(raw);
    ByteArrayOutputStream handshake = new ByteArrayOutputStream();
    while (true) {
      int type;
      try {
        type = in.readUnsignedByte();
      } catch (EOFException e) {
        return ServerHelloAnswer.refused("connection closed without an answer");
      }
      if (type != HANDSHAKE && type != ALERT) {
        throw new ProtocolException("not a TLS answer (first byte " + type + ")");
      }
      in.readUnsignedShort(); // record version
      int length = in.readUnsignedShort();
      byte[] fragment = new byte[length];
      in.readFully(fragment);
      if (type == ALERT) {
        return ServerHelloAnswer.refused(length >= 2 ? "alert " + alertName(fragment[1] & 0xff) : "alert");
      }
      handshake.writeBytes(fragment);
      byte[] bytes = handshake.toByteArray();
      if (bytes.length >= 4) {
        int messageLength = ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
        if (bytes[0] != SERVER_HELLO) {
          throw new ProtocolException("expected a ServerHello, got handshake message type " + bytes[0]);
        }
        if (messageLength > MAX_HANDSHAKE_BYTES) {
          throw new ProtocolException("ServerHello of " + messageLength + " bytes");
        }
        if (bytes.length >= 4 + messageLength) {
          return parseServerHello(bytes, 4, 4 + messageLength);
        }
      }
    }
  }

  private static ServerHelloAnswer parseServerHello(byte[] b, int start, int end) throws ProtocolException {
    int p = start;
    int version = u16(b, p);
    p += 2 + 32; // version, random
    p += 1 + (b[p] & 0xff); // session id
    int suite = u16(b, p);
    p += 2 + 1; // suite, compression
    if (p + 2 <= end) {
      int extensionsEnd = p + 2 + u16(b, p);
      p += 2;
      while (p + 4 <= extensionsEnd && extensionsEnd <= end) {
        int extType = u16(b, p);
        int extLength = u16(b, p + 2);
        if (extType == EXT_SUPPORTED_VERSIONS && extLength == 2) {
          version = u16(b, p + 4); // RFC 8446 §4.2.1: the real version of a TLS 1.3 ServerHello
        }
        p += 4 + extLength;
      }
    }
    if (p > end) {
      throw new ProtocolException("truncated ServerHello");
    }
    return ServerHelloAnswer.accepted(version, suite);
  }

  /** RFC 8446 §6 alert descriptions a refusing server sends. */
  private static String alertName(int description) {
    return switch (description) {
      case 40 -> "handshake_failure";
      case 47 -> "illegal_parameter";
      case 50 -> "decode_error";
      case 70 -> "protocol_version";
      case 71 -> "insufficient_security";
      case 80 -> "internal_error";
      case 112 -> "unrecognized_name";
      default -> Integer.toString(description);
    };
  }

  private static int u16(byte[] b, int p) {
    return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
  }

  private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
    writeShort(out, type);
    writeShort(out, data.length);
    out.writeBytes(data);
  }

  private static byte[] shortList(int[] values) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeShort(out, values.length * 2);
    for (int value : values) {
      writeShort(out, value);
    }
    return out.toByteArray();
  }

  private static void writeShort(ByteArrayOutputStream out, int value) {
    out.write((value >> 8) & 0xff);
    out.write(value & 0xff);
  }

  private static void writeMedium(ByteArrayOutputStream out, int value) {
    out.write((value >> 16) & 0xff);
    writeShort(out, value & 0xffff);
  }
}
