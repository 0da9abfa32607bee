package dev.gatehouse.audit.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A response as the audit received it; redirects are never followed here, each hop is its own response.
 *
 * @param request what was sent
 * @param status status code
 * @param reason reason phrase, possibly empty
 * @param headers the header fields
 * @param body the body, at most {@link ProbeLimits#maxBodyBytes()} bytes
 * @param truncated whether the body was longer than the limit
 */
public record ProbeResponse(ProbeRequest request, int status, String reason, HeaderFields headers, byte[] body,
    boolean truncated) {

  /** Redirect status codes (RFC 9110 §15.4) that carry a {@code Location} to follow. */
  public static final Set<Integer> REDIRECT_STATUSES = Set.of(301, 302, 303, 307, 308);

  private static final Pattern CHARSET = Pattern.compile("(?i)charset=\"?([^\";\\s]+)");

  public URI uri() {
    return request.uri();
  }

  public boolean isRedirect() {
    return REDIRECT_STATUSES.contains(status) && headers.contains("Location");
  }

  /**
   * The redirect target, resolved against the request URI (RFC 9110 §10.2.2 allows relative references).
   * Empty when there is no {@code Location} or it is not a valid URI reference.
   */
  public Optional<URI> location() {
    return headers.first("Location").flatMap(value -> {
      try {
        return Optional.of(uri().resolve(new URI(value.trim())));
      } catch (URISyntaxException | IllegalArgumentException e) {
        return Optional.empty();
      }
    });
  }

  public Optional<String> header(String name) {
    return headers.first(name);
  }

  /** The parsed {@code Set-Cookie} fields; unparseable ones are left out. */
  public List<SetCookie> setCookies() {
    return headers.all("Set-Cookie").stream().flatMap(v -> SetCookie.parse(v).stream()).toList();
  }

  public boolean isHtml() {
    return headers.first("Content-Type").map(t -> t.toLowerCase(Locale.ROOT).contains("html")).orElse(false);
  }

  /** The body decoded with the {@code Content-Type} charset, UTF-8 when none or unknown. */
  public String bodyText() {
    Charset charset = StandardCharsets.UTF_8;
    Optional<String> type = headers.first("Content-Type");
    if (type.isPresent()) {
      Matcher m = CHARSET.matcher(type.get());
      if (m.find()) {
        try {
          charset = Charset.forName(m.group(1));
        } catch (IllegalArgumentException unknownCharset) {
          charset = StandardCharsets.UTF_8;
        }
      }
    }
    return new String(body, charset);
  }

  /** The status line and a header, as a report shows it: {@code 301 Location: https://example.com/}. */
  public String describe(String headerName) {
    return status + headers.first(headerName).map(v -> " " + headerName + ": " + v).orElse("");
  }

  @Override
  public String toString() {
    return request + " -> " + status;
  }
}
