package dev.gatehouse.tls;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What certificate selection needs from a TLS ClientHello (RFC 8446 §4.1.2): the server_name (RFC 6066 §3)
 * and the offered ALPN protocols (RFC 7301 §3.1). A malformed or truncated hello yields what could be read;
 * the TLS engine rejects the handshake itself.
 *
 * @param serverName the SNI host name, lower-case, without a trailing dot; empty when not sent
 * @param alpnProtocols the client's ALPN list in its order; empty when not sent
 */
public record ClientHello(Optional<String> serverName, List<String> alpnProtocols) {

  private static final int EXTENSION_SERVER_NAME = 0;
  private static final int EXTENSION_ALPN = 16;
  private static final int NAME_TYPE_HOST_NAME = 0;
  /** client_version (2) + random (32). */
  private static final int FIXED_PREFIX = 34;

  public static final ClientHello EMPTY = new ClientHello(Optional.empty(), List.of());

  public ClientHello {
    alpnProtocols = List.copyOf(alpnProtocols);
  }

  /** Whether the client offered {@code acme-tls/1} alone, as an RFC 8737 §3 validator must. */
  public boolean isAcmeTlsAlpn() {
    return alpnProtocols.equals(List.of(AlpnProtocols.ACME_TLS_1));
  }

  /**
   * Reads a ClientHello body (from client_version on, without the handshake header), as Netty's {@code
   * SslClientHelloHandler} hands it over. Does not move the buffer's indexes.
   */
  public static ClientHello parse(ByteBuf hello) {
    if (hello == null) {
      return EMPTY;
    }
    try {
      return parseExtensions(hello);
    } catch (IndexOutOfBoundsException e) {
      return EMPTY;
    }
  }

  private static ClientHello parseExtensions(ByteBuf in) {
    int offset = in.readerIndex() + FIXED_PREFIX;
    int end = in.writerIndex();
    offset += 1 + in.getUnsignedByte(offset); // legacy_session_id
    offset += 2 + in.getUnsignedShort(offset); // cipher_suites
    offset += 1 + in.getUnsignedByte(offset); // legacy_compression_methods
    if (offset + 2 > end) {
      return EMPTY;
    }
    int extensionsEnd = Math.min(end, offset + 2 + in.getUnsignedShort(offset));
    offset += 2;
    Optional<String> serverName = Optional.empty();
    List<String> alpn = List.of();
    while (offset + 4 <= extensionsEnd) {
      int type = in.getUnsignedShort(offset);
      int length = in.getUnsignedShort(offset + 2);
      int body = offset + 4;
      if (body + length > extensionsEnd) {
        break;
      }
      if (type == EXTENSION_SERVER_NAME) {
        serverName = readServerName(in, body, body + length);
      } else if (type == EXTENSION_ALPN) {
        alpn = readAlpn(in, body, body + length);
      }
      offset = body + length;
    }
    return new ClientHello(serverName, alpn);
  }

  private static Optional<String> readServerName(ByteBuf in, int offset, int end) {
    int listEnd = Math.min(end, offset + 2 + in.getUnsignedShort(offset));
    offset += 2;
    while (offset + 3 <= listEnd) {
      int nameType = in.getUnsignedByte(offset);
      int length = in.getUnsignedShort(offset + 1);
      offset += 3;
      if (offset + length > listEnd) {
        break;
      }
      if (nameType == NAME_TYPE_HOST_NAME) {
        String name = in.toString(offset, length, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
          name = name.substring(0, name.length() - 1);
        }
        return name.isEmpty() ? Optional.empty() : Optional.of(name);
      }
      offset += length;
    }
    return Optional.empty();
  }

  private static List<String> readAlpn(ByteBuf in, int offset, int end) {
    int listEnd = Math.min(end, offset + 2 + in.getUnsignedShort(offset));
    offset += 2;
    List<String> protocols = new ArrayList<>();
    while (offset + 1 <= listEnd) {
      int length = in.getUnsignedByte(offset);
      offset += 1;
      if (length == 0 || offset + length > listEnd) {
        break;
      }
      protocols.add(in.toString(offset, length, StandardCharsets.US_ASCII));
      offset += length;
    }
    return protocols;
  }
}
