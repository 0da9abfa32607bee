package dev.gatehouse.testing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Response header fields in received order: names case-insensitive, a name may repeat. */
public final class Headers {

  private final List<Map.Entry<String, String>> fields;

  public Headers(List<Map.Entry<String, String>> fields) {
    this.fields = List.copyOf(fields);
  }

  /** Parses {@code Name: value} lines (obsolete line folding is not expected from tested servers). */
  public static Headers parse(List<String> lines) {
    List<Map.Entry<String, String>> fields = new ArrayList<>();
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.add(Map.entry(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
      }
    }
    return new Headers(fields);
  }

  /** Every value of {@code name}, in order; empty when absent. */
  public List<String> all(String name) {
    return fields.stream().filter(f -> f.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).toList();
  }

  /** The first value of {@code name}. */
  public Optional<String> first(String name) {
    return all(name).stream().findFirst();
  }

  /** The first value of {@code name}, or {@code null}. */
  public String value(String name) {
    return first(name).orElse(null);
  }

  public boolean contains(String name) {
    return !all(name).isEmpty();
  }

  /** The distinct names, lower-cased, in order of first appearance. */
  public Set<String> names() {
    Set<String> names = new LinkedHashSet<>();
    fields.forEach(f -> names.add(f.getKey().toLowerCase(Locale.ROOT)));
    return names;
  }

  /** All fields as received. */
  public List<Map.Entry<String, String>> fields() {
    return fields;
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    fields.forEach(f -> out.append(f.getKey()).append(": ").append(f.getValue()).append('\n'));
    return out.toString();
  }
}
