package dev.gatehouse.audit.html;

import java.util.Map;
import java.util.Optional;

/**
 * A start tag found in a page.
 *
 * @param name lower-case element name
 * @param attributes lower-case attribute name to decoded value, first occurrence wins (HTML §13.2.5.33)
 * @param source the tag as written, shortened for reports
 * @param line 1-based line of the tag in the page
 */
public record HtmlTag(String name, Map<String, String> attributes, String source, int line) {
  public HtmlTag {
    attributes = Map.copyOf(attributes);
  }

  public Optional<String> attribute(String attributeName) {
    return Optional.ofNullable(attributes.get(attributeName));
  }
}
