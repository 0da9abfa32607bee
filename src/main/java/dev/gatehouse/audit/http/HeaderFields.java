package dev.gatehouse.audit.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Header fields in the order they arrived, names compared case-insensitively (RFC 9110 §5.1). Repeated fields
 * stay separate entries: {@code Set-Cookie} cannot be combined into one line (RFC 6265 §3). Immutable.
 */
public final class HeaderFields {
  /** One field line as received, name in its original case. */
  public record Field(String name, String value) {}

  private final List<Field> fields;

  public HeaderFields(List<Field> fields) {
    this.fields = List.copyOf(fields);
  }

  public static HeaderFields of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("names and values must come in pairs: " + namesAndValues.length);
    }
    List<Field> list = new ArrayList<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      list.add(new Field(namesAndValues[i], namesAndValues[i + 1]));
    }
    return new HeaderFields(list);
  }

  /** The first value of {@code name}, if the field is present. */
  public Optional<String> first(String name) {
    return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(Field::value).findFirst();
  }

  /** Every value of {@code name}, in order. */
  public List<String> all(String name) {
    return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).map(Field::value).toList();
  }

  public boolean contains(String name) {
    return first(name).isPresent();
  }

  /** Whether a comma-separated field (e.g. {@code Transfer-Encoding}) lists {@code token}. */
  public boolean hasToken(String name, String token) {
    String wanted = token.toLowerCase(Locale.ROOT);
    return all(name).stream()
        .flatMap(v -> List.of(v.split(",")).stream())
        .anyMatch(t -> t.trim().toLowerCase(Locale.ROOT).equals(wanted));
  }

  public List<Field> asList() {
    return fields;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Field f : fields) {
      out.append(f.name()).append(": ").append(f.value()).append('\n');
    }
    return out.toString();
  }
}
