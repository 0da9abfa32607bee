package dev.gatehouse.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Header fields that describe one connection and must not be forwarded (RFC 9110 §7.6.1), plus whatever
 * the Connection field itself nominates.
 */
final class HopByHop {
  private HopByHop() {}

  /**
   * RFC 9110 §7.6.1 names Connection, Proxy-Connection, Keep-Alive, TE, Transfer-Encoding and Upgrade;
   * Proxy-Authenticate and Proxy-Authorization are for the proxy itself (RFC 9110 §11.7.1, §11.7.2).
   */
  static final List<String> HEADERS =
      List.of(
          "connection",
          "proxy-connection",
          "keep-alive",
          "te",
          "transfer-encoding",
          "upgrade",
          "proxy-authenticate",
          "proxy-authorization");

  private static final HeaderNameSet HEADER_SET = HeaderNameSet.of(HEADERS);

  /**
   * Never removed because Connection names them: a client writing {@code Connection: host} or {@code
   * Connection: content-length} must not change how the request is routed or framed upstream.
   */
  static final Set<String> NOT_NOMINATABLE = Set.of("host", "content-length");

  /**
   * Removes the hop-by-hop fields and those Connection nominates, in place: one pass finds them (an
   * upstream's response usually has only Connection), and only what was found is removed.
   *
   * @return whether a Connection field had the {@code close} option (RFC 9112 §9.6): the sender closes the
   *     connection after this message
   */
  static boolean strip(HttpHeaders headers) {
    List<CharSequence> found = null;
    boolean close = false;
    for (Iterator<Map.Entry<CharSequence, CharSequence>> it = headers.iteratorCharSequence(); it.hasNext(); ) {
      Map.Entry<CharSequence, CharSequence> field = it.next();
      CharSequence name = field.getKey();
      if (HEADER_SET.contains(name)) {
        if (found == null) {
          found = new ArrayList<>(4);
        }
        found.add(name);
        close |= HttpHeaderNames.CONNECTION.contentEqualsIgnoreCase(name) && hasClose(field.getValue());
      }
    }
    if (found == null) {
      return false;
    }
    for (String nominated : nominated(headers)) {
      headers.remove(nominated);
    }
    for (CharSequence name : found) {
      headers.remove(name);
    }
    return close;
  }

  /** Whether one Connection value lists {@code close}; the usual {@code keep-alive} is not parsed. */
  private static boolean hasClose(CharSequence connection) {
    return !HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(connection)
        && options(connection).contains(HttpHeaderValues.CLOSE.toString());
  }

  /** Whether a field called {@code name} is among those Connection {@link #nominated}. */
  static boolean isNominated(CharSequence name, List<String> nominated) {
    for (int i = 0; i < nominated.size(); i++) {
      if (AsciiString.contentEqualsIgnoreCase(nominated.get(i), name)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The fields Connection nominates that are not already hop-by-hop by name and may be removed (not {@link
   * #NOT_NOMINATABLE}): usually none, as browsers write only {@code keep-alive}.
   */
  static List<String> nominated(HttpHeaders headers) {
    List<String> nominated = List.of();
    Iterator<? extends CharSequence> it = headers.valueCharSequenceIterator(HttpHeaderNames.CONNECTION);
    while (it.hasNext()) {
      CharSequence value = it.next();
      if (HttpHeaderValues.KEEP_ALIVE.contentEqualsIgnoreCase(value)) {
        // What nearly every HTTP/1.1 client and upstream writes, a name already hop-by-hop: nothing to parse.
        continue;
      }
      for (String option : options(value)) {
        if (!NOT_NOMINATABLE.contains(option) && !HEADER_SET.contains(option)) {
          if (nominated.isEmpty()) {
            nominated = new ArrayList<>(2);
          }
          nominated.add(option);
        }
      }
    }
    return nominated;
  }

  /** The lower-case tokens of every Connection field (RFC 9110 §7.6.1: a comma-separated list). */
  static List<String> connectionOptions(HttpHeaders headers) {
    List<String> options = new ArrayList<>();
    Iterator<? extends CharSequence> it = headers.valueCharSequenceIterator(HttpHeaderNames.CONNECTION);
    while (it.hasNext()) {
      options.addAll(options(it.next()));
    }
    return options;
  }

  private static List<String> options(CharSequence value) {
    List<String> options = new ArrayList<>(2);
    for (String token : value.toString().split(",")) {
      String t = token.trim().toLowerCase(Locale.ROOT);
      if (!t.isEmpty()) {
        options.add(t);
      }
    }
    return options;
  }
}
