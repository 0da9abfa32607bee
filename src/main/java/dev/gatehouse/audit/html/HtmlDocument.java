package dev.gatehouse.audit.html;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The parts of an HTML page the audit reads: start tags with their attributes and the text of
 * {@code <style>} elements. A tolerant tokenizer in the spirit of HTML §13.2.5, not a tree builder: it skips
 * comments, doctype and the raw text of {@code script}, {@code style}, {@code textarea} and {@code title}, and
 * never fails on malformed markup. Immutable.
 */
public final class HtmlDocument {
  /** Elements whose content is text, not markup (HTML §13.1.2: raw text and escapable raw text elements). */
  private static final Set<String> RAW_TEXT = Set.of("script", "style", "textarea", "title");
  private static final int MAX_SOURCE_CHARS = 160;

  private final List<HtmlTag> tags;
  private final List<String> styleBlocks;

  private HtmlDocument(List<HtmlTag> tags, List<String> styleBlocks) {
    this.tags = List.copyOf(tags);
    this.styleBlocks = List.copyOf(styleBlocks);
  }

  public List<HtmlTag> tags() {
    return tags;
  }

  /** Start tags named {@code name} (lower case). */
  public List<HtmlTag> tags(String name) {
    return tags.stream().filter(t -> t.name().equals(name)).toList();
  }

  /** The content of every {@code <style>} element. */
  public List<String> styleBlocks() {
    return styleBlocks;
  }

  public static HtmlDocument parse(String html) {
    List<HtmlTag> tags = new ArrayList<>();
    List<String> styles = new ArrayList<>();
    int i = 0;
    int n = html.length();
    while (i < n) {
      int lt = html.indexOf('<', i);
      if (lt < 0 || lt + 1 >= n) {
        break;
      }
      if (html.startsWith("<!--", lt)) {
        int end = html.indexOf("-->", lt + 4);
        i = end < 0 ? n : end + 3;
        continue;
      }
      char next = html.charAt(lt + 1);
      if (next == '!' || next == '?' || next == '/') {
        int end = html.indexOf('>', lt);
        i = end < 0 ? n : end + 1;
        continue;
      }
      if (!Character.isLetter(next)) {
        i = lt + 1;
        continue;
      }
      int[] position = {lt + 1};
      HtmlTag tag = readTag(html, position, lineOf(html, lt), lt);
      tags.add(tag);
      i = position[0];
      if (RAW_TEXT.contains(tag.name())) {
        int close = indexOfIgnoreCase(html, "</" + tag.name(), i);
        int contentEnd = close < 0 ? n : close;
        if (tag.name().equals("style")) {
          styles.add(html.substring(i, contentEnd));
        }
        i = contentEnd;
      }
    }
    return new HtmlDocument(tags, styles);
  }

  private static HtmlTag readTag(String html, int[] position, int line, int start) {
    int n = html.length();
    int i = position[0];
    int nameStart = i;
    while (i < n && !Character.isWhitespace(html.charAt(i)) && html.charAt(i) != '>' && html.charAt(i) != '/') {
      i++;
    }
    String name = html.substring(nameStart, i).toLowerCase(Locale.ROOT);
    Map<String, String> attributes = new LinkedHashMap<>();
    while (i < n) {
      while (i < n && (Character.isWhitespace(html.charAt(i)) || html.charAt(i) == '/')) {
        i++;
      }
      if (i >= n || html.charAt(i) == '>') {
        i++;
        break;
      }
      int attrStart = i;
      while (i < n && !Character.isWhitespace(html.charAt(i)) && "=>/".indexOf(html.charAt(i)) < 0) {
        i++;
      }
      if (i == attrStart) {
        // A stray character such as '=' where a name should be: skip it (HTML §13.2.5.32).
        i++;
        continue;
      }
      String attrName = html.substring(attrStart, i).toLowerCase(Locale.ROOT);
      while (i < n && Character.isWhitespace(html.charAt(i))) {
        i++;
      }
      String value = "";
      if (i < n && html.charAt(i) == '=') {
        i++;
        while (i < n && Character.isWhitespace(html.charAt(i))) {
          i++;
        }
        if (i < n && (html.charAt(i) == '"' || html.charAt(i) == '\'')) {
          char quote = html.charAt(i);
          int end = html.indexOf(quote, i + 1);
          end = end < 0 ? n : end;
          value = html.substring(i + 1, end);
          i = Math.min(n, end + 1);
        } else {
          int valueStart = i;
          while (i < n && !Character.isWhitespace(html.charAt(i)) && html.charAt(i) != '>') {
            i++;
          }
          value = html.substring(valueStart, i);
        }
      }
      attributes.putIfAbsent(attrName, CharacterReferences.decode(value));
    }
    position[0] = Math.min(i, n);
    String source = html.substring(start, position[0]).replaceAll("\\s+", " ");
    if (source.length() > MAX_SOURCE_CHARS) {
      source = source.substring(0, MAX_SOURCE_CHARS) + "…";
    }
    return new HtmlTag(name, attributes, source, line);
  }

  private static int lineOf(String text, int index) {
    int line = 1;
    for (int i = 0; i < index; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }

  private static int indexOfIgnoreCase(String text, String needle, int from) {
    int limit = text.length() - needle.length();
    for (int i = from; i <= limit; i++) {
      if (text.regionMatches(true, i, needle, 0, needle.length())) {
        return i;
      }
    }
    return -1;
  }
}
