package dev.gatehouse.audit.html;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The URLs a piece of CSS loads: {@code url(...)} values and {@code @import} strings (CSS Values §4.5). */
public final class CssUrls {
  private static final Pattern URL = Pattern.compile("(?i)url\\(\\s*(['\"]?)([^'\")]*)\\1\\s*\\)");
  private static final Pattern IMPORT_STRING = Pattern.compile("(?i)@import\\s+(['\"])([^'\"]*)\\1");

  /**
   * One URL found in CSS.
   *
   * @param url the URL as written
   * @param imported whether it is an {@code @import} (a style sheet, not an image or font)
   */
  public record CssUrl(String url, boolean imported) {}

  private CssUrls() {}

  public static List<CssUrl> in(String css) {
    List<CssUrl> urls = new ArrayList<>();
    Matcher url = URL.matcher(css);
    while (url.find()) {
      String before = css.substring(Math.max(0, url.start() - 16), url.start()).toLowerCase(java.util.Locale.ROOT);
      urls.add(new CssUrl(url.group(2).trim(), before.matches("(?s).*@import\\s*$")));
    }
    Matcher imported = IMPORT_STRING.matcher(css);
    while (imported.find()) {
      urls.add(new CssUrl(imported.group(2).trim(), true));
    }
    return urls;
  }
}
