package dev.gatehouse.config;

/**
 * A URL path prefix whose request bodies go to the app as they arrive instead of being read whole first
 * ({@code --stream-requests /api/upload}), for views that read a long upload piece by piece. Such an
 * upload holds a Gunicorn sync worker for as long as the client takes (the body idle timeout still cuts a
 * stalled one), so name only the views that need it.
 *
 * <p>Matched against the request's path as sent (percent-encoded, without the query), by whole segments:
 * {@code /upload} matches {@code /upload} and {@code /upload/big}, never {@code /uploads}. A request whose
 * path the app would decode differently ({@code /%75pload}) does not match and is buffered, the safe side.
 *
 * @param path the prefix without a trailing slash; empty for {@code /}, which streams every request
 */
public record StreamedPrefix(String path) {

  static final String EXPECTED = "a path prefix starting with /, e.g. /api/upload/, without ?, # or ..";

  public static StreamedPrefix parse(String where, String value) throws ConfigException {
    String v = value.trim();
    if (!v.startsWith("/") || v.contains("?") || v.contains("#") || v.contains("..") || v.contains("\\")
        || v.chars().anyMatch(c -> c <= 0x20 || c >= 0x7f)) {
      throw ConfigException.invalid(where, value, EXPECTED);
    }
    while (v.endsWith("/")) {
      v = v.substring(0, v.length() - 1);
    }
    return new StreamedPrefix(v);
  }

  /** Whether {@code rawPath} (percent-encoded, no query) is this prefix or below it. */
  public boolean matches(String rawPath) {
    return rawPath.startsWith(path)
        && (rawPath.length() == path.length() || rawPath.charAt(path.length()) == '/');
  }

  @Override
  public String toString() {
    return path + "/";
  }
}
