package dev.gatehouse.audit.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The cookies of one site during a multi-request probe (the login form's {@code csrftoken}, then the
 * {@code sessionid}). One origin only, so Domain and Path are not interpreted. Not thread-safe.
 */
public final class CookieJar {
  private final Map<String, String> values = new LinkedHashMap<>();

  /** Stores the cookies a response sets and drops the ones it deletes. */
  public void update(ProbeResponse response) {
    for (SetCookie cookie : response.setCookies()) {
      if (cookie.deletes()) {
        values.remove(cookie.name());
      } else {
        values.put(cookie.name(), cookie.value());
      }
    }
  }

  /** A request with the jar's {@code Cookie} field added, unless the jar is empty (RFC 6265 §5.4). */
  public ProbeRequest applyTo(ProbeRequest request) {
    if (values.isEmpty()) {
      return request;
    }
    String cookie = values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("; "));
    return request.withHeader("Cookie", cookie);
  }
}
