package dev.gatehouse.generate;

import dev.gatehouse.config.Hostnames;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The lines at the top of each generated nginx {@code server} block that answer 421 to a request for a host
 * that is not one of the site's names (issue 12: an open redirect).
 *
 * <p>nginx sends a request whose Host matches no {@code server_name} to the port's default server: the one
 * marked {@code default_server}, else the first server block on that address. With Debian's default site
 * removed, or with this site alone, that is the Gatehouse block, whose {@code return 301 https://$host...}
 * would then send a browser to {@code https://evil.example/} and whose proxy would hand Django a foreign Host.
 *
 * <p>Why {@code if} and not a catch-all block: a catch-all only catches as {@code default_server}, nginx
 * allows one per address ({@code nginx -t} fails beside Debian's default site or another Gatehouse site),
 * and without the flag it catches nothing once another file comes first. An {@code if} holding only
 * {@code return} is safe (nginx's "If is evil" names it so), works on every nginx release, and holds
 * wherever the block sits. It cannot refuse the TLS handshake ({@code ssl_reject_handshake}, nginx 1.19.4+,
 * needs a default block of its own): a foreign SNI name gets this site's certificate, which does not name
 * it, and then the 421.
 */
final class NginxHostCheck {
  private NginxHostCheck() {}

  /**
   * 421 Misdirected Request (RFC 9110 §15.5.20): this server is not able to answer for that host. It also
   * tells an HTTP/2 client that reused the connection for another name to open a new one, and it is what
   * Gatehouse itself answers on port 80 for an unknown host.
   */
  static final int REFUSAL_STATUS = 421;

  /** A name as a wildcard replaces its {@code *}: exactly one DNS label (RFC 6125 §6.4.3), as certificates do. */
  private static final String WILDCARD_LABEL = "[a-z0-9-]+";

  /** Both checks, after the comment that says why: the first server block of a file. */
  static void writeExplained(ConfigText t, List<String> names) {
    t.comment(
        "Only this site's names. Whenever this block is nginx's default server on its port (no other\n"
            + "default_server: Debian's default site removed, or this site alone), every other Host lands here\n"
            + "and would be redirected or forwarded as sent. $host is the name from the request line or Host,\n"
            + "$http_host the Host header Django gets (empty without one). Anything else gets "
            + REFUSAL_STATUS
            + "\nMisdirected Request (RFC 9110 §15.5.20).");
    write(t, names);
  }

  /** Both checks on port 443, where a foreign name already got this site's certificate in the handshake. */
  static void writeForTls(ConfigText t, List<String> names) {
    t.comment(
        "Only this site's names, as on port 80. A foreign SNI name gets this site's certificate, which does\n"
            + "not name it (nginx needs a default_server block to refuse the handshake), then the "
            + REFUSAL_STATUS
            + ".");
    write(t, names);
  }

  private static void write(ConfigText t, List<String> names) {
    String pattern = pattern(names);
    for (String variable : List.of("$host", "$http_host")) {
      t.open("if (" + variable + " !~* \"" + pattern + "\") {");
      t.line("return " + REFUSAL_STATUS + ";");
      t.close();
    }
  }

  /**
   * A regular expression (PCRE, matched case-insensitively) for a Host value naming one of {@code names}:
   * an optional trailing dot (RFC 1034 §3.1's absolute form, which nginx strips from {@code $host}) and an
   * optional port, as in a Host header (RFC 9110 §7.2). {@code names} are normalized ({@link Hostnames}).
   */
  static String pattern(List<String> names) {
    return names.stream().map(NginxHostCheck::namePattern).collect(Collectors.joining("|", "^(", ")\\.?(:[0-9]+)?$"));
  }

  private static String namePattern(String name) {
    if (Hostnames.isWildcard(name)) {
      return WILDCARD_LABEL + escapeDots(name.substring(1));
    }
    if (name.contains(":")) {
      // An IPv6 address is bracketed in a Host header and in $host (RFC 3986 §3.2.2).
      return "\\[" + name + "\\]";
    }
    return escapeDots(name);
  }

  private static String escapeDots(String name) {
    return name.replace(".", "\\.");
  }
}
