package dev.gatehouse.audit.http;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One HTTP/1.1 request the audit sends. {@code Host}, {@code Connection: close}, {@code User-Agent} and
 * {@code Content-Length} are added by {@link ProbeClient}; {@link #headers()} holds everything else.
 *
 * @param method request method, e.g. {@code GET}
 * @param uri absolute {@code http} or {@code https} URI
 * @param headers extra header fields, sent in this order
 * @param body request body, empty for none
 */
public record ProbeRequest(String method, URI uri, HeaderFields headers, byte[] body) {
  public ProbeRequest {
    String scheme = uri.getScheme();
    if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
      throw new IllegalArgumentException("uri: " + uri + " (expected: http:// or https://)");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("uri: " + uri + " (expected: a host)");
    }
  }

  public static ProbeRequest get(URI uri) {
    return new ProbeRequest("GET", uri, HeaderFields.of(), new byte[0]);
  }

  /** A form POST ({@code application/x-www-form-urlencoded}, HTML §4.10.21.7) of {@code fields}, in order. */
  public static ProbeRequest postForm(URI uri, Map<String, String> fields) {
    String body = fields.entrySet().stream()
        .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
            + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
    return new ProbeRequest("POST", uri,
        HeaderFields.of("Content-Type", "application/x-www-form-urlencoded"),
        body.getBytes(StandardCharsets.UTF_8));
  }

  /** This request with one more header field. */
  public ProbeRequest withHeader(String name, String value) {
    List<HeaderFields.Field> fields = new ArrayList<>(headers.asList());
    fields.add(new HeaderFields.Field(name, value));
    return new ProbeRequest(method, uri, new HeaderFields(fields), body);
  }

  @Override
  public String toString() {
    return method + " " + uri;
  }
}
