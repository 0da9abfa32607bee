package dev.gatehouse.audit.html;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes the character references that appear in URLs inside attributes (HTML §13.2.5.72): numeric ones and
 * the handful of named ones templates emit. Others are left as written.
 */
final class CharacterReferences {
  private static final Pattern REFERENCE = Pattern.compile("&(#[0-9]+|#[xX][0-9a-fA-F]+|[a-zA-Z]+);");
  private static final Map<String, String> NAMED = Map.of(
      "amp", "&", "quot", "\"", "apos", "'", "lt", "<", "gt", ">", "colon", ":", "sol", "/", "nbsp", "\u00a0");

  private CharacterReferences() {}

  static String decode(String text) {
    if (text.indexOf('&') < 0) {
      return text;
    }
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String ref = m.group(1);
      String replacement;
      if (ref.startsWith("#x") || ref.startsWith("#X")) {
        replacement = codePoint(ref.substring(2), 16);
      } else if (ref.startsWith("#")) {
        replacement = codePoint(ref.substring(1), 10);
      } else {
        replacement = NAMED.getOrDefault(ref, m.group());
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String codePoint(String digits, int radix) {
    try {
      int cp = Integer.parseInt(digits, radix);
      return Character.isValidCodePoint(cp) && cp != 0 ? new String(Character.toChars(cp)) : "\ufffd";
    } catch (NumberFormatException e) {
      return "\ufffd";
    }
  }
}
