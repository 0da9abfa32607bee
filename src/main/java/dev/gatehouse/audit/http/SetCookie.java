package dev.gatehouse.audit.http;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed {@code Set-Cookie} field (RFC 6265 §5.2): the name/value pair and its attributes, attribute names
 * lower-cased. Only what the audit judges is interpreted; the raw field is kept for reports.
 *
 * @param name cookie name
 * @param value cookie value
 * @param attributes lower-case attribute name to value ({@code ""} for flags such as {@code Secure})
 * @param raw the field value as received
 */
public record SetCookie(String name, String value, Map<String, String> attributes, String raw) {
  public SetCookie {
    attributes = Map.copyOf(attributes);
  }

  /** Parses one field value; empty when it has no {@code name=} pair (RFC 6265 §5.2 step 2: ignore it). */
  public static Optional<SetCookie> parse(String field) {
    String[] parts = field.split(";");
    int eq = parts[0].indexOf('=');
    if (eq < 0) {
      return Optional.empty();
    }
    String name = parts[0].substring(0, eq).trim();
    if (name.isEmpty()) {
      return Optional.empty();
    }
    String value = parts[0].substring(eq + 1).trim();
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = 1; i < parts.length; i++) {
      String part = parts[i].trim();
      if (part.isEmpty()) {
        continue;
      }
      int attrEq = part.indexOf('=');
      String attrName = (attrEq < 0 ? part : part.substring(0, attrEq)).trim().toLowerCase(Locale.ROOT);
      String attrValue = attrEq < 0 ? "" : part.substring(attrEq + 1).trim();
      attributes.put(attrName, attrValue);
    }
    return Optional.of(new SetCookie(name, value, attributes, field));
  }

  public boolean secure() {
    return attributes.containsKey("secure");
  }

  public boolean httpOnly() {
    return attributes.containsKey("httponly");
  }

  /** The {@code SameSite} value as sent ({@code Lax}, {@code Strict}, {@code None}), empty when absent. */
  public Optional<String> sameSite() {
    return Optional.ofNullable(attributes.get("samesite"));
  }

  /** Whether the field deletes the cookie ({@code Max-Age=0} or less, as Django's delete_cookie sends). */
  public boolean deletes() {
    String maxAge = attributes.get("max-age");
    if (maxAge == null) {
      return false;
    }
    try {
      return Long.parseLong(maxAge) <= 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
