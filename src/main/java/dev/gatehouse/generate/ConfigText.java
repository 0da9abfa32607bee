package dev.gatehouse.generate;

/**
 * Builds the text of a block-structured configuration file (nginx, Caddyfile, systemd) line by line with
 * consistent indentation, so generators read like the file they produce.
 */
final class ConfigText {
  private final StringBuilder out = new StringBuilder();
  private final String indentUnit;
  private final String commentPrefix;
  private int depth;

  ConfigText(String indentUnit, String commentPrefix) {
    this.indentUnit = indentUnit;
    this.commentPrefix = commentPrefix;
  }

  ConfigText line(String text) {
    out.append(indentUnit.repeat(depth)).append(text).append('\n');
    return this;
  }

  /** Each line of {@code text} as a comment at the current depth. */
  ConfigText comment(String text) {
    for (String l : text.split("\n", -1)) {
      line(l.isEmpty() ? commentPrefix.strip() : commentPrefix + l);
    }
    return this;
  }

  ConfigText blank() {
    out.append('\n');
    return this;
  }

  /** Writes {@code header} (e.g. {@code server {}) and indents what follows until {@link #close()}. */
  ConfigText open(String header) {
    line(header);
    depth++;
    return this;
  }

  ConfigText close() {
    depth--;
    return line("}");
  }

  @Override
  public String toString() {
    return out.toString();
  }
}
