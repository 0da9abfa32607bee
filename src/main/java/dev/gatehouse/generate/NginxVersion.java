package dev.gatehouse.generate;

import dev.gatehouse.config.ConfigException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The nginx release a configuration is written for. It decides one piece of syntax: how HTTP/2 is switched
 * on (the {@code http2} directive exists from 1.25.1, which deprecates {@code listen ... http2}).
 */
public record NginxVersion(int major, int minor, int patch) implements Comparable<NginxVersion> {

  /** Debian 12's nginx, the oldest this project tests against; its syntax works on every later release. */
  public static final NginxVersion DEFAULT = new NginxVersion(1, 22, 1);

  /** The release that added {@code http2 on;} (nginx CHANGES, 1.25.1). */
  public static final NginxVersion HTTP2_DIRECTIVE = new NginxVersion(1, 25, 1);

  private static final Pattern VERSION = Pattern.compile("(?:nginx/)?(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

  /** Reads {@code 1.22.1}, {@code 1.25} or the output of {@code nginx -v} ({@code nginx version: nginx/1.22.1}). */
  public static NginxVersion parse(String where, String text) throws ConfigException {
    Matcher m = VERSION.matcher(text.trim());
    if (!m.find()) {
      throw ConfigException.invalid(where, text, "an nginx version such as 1.22.1");
    }
    int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    return new NginxVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), patch);
  }

  public boolean hasHttp2Directive() {
    return compareTo(HTTP2_DIRECTIVE) >= 0;
  }

  @Override
  public int compareTo(NginxVersion o) {
    int c = Integer.compare(major, o.major);
    if (c == 0) {
      c = Integer.compare(minor, o.minor);
    }
    return c != 0 ? c : Integer.compare(patch, o.patch);
  }

  @Override
  public String toString() {
    return major + "." + minor + "." + patch;
  }
}
