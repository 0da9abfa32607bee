package dev.gatehouse.nginx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The output of {@code nginx -T}: every configuration file nginx reads, in include order, with its text.
 * Enough of nginx's syntax is understood to find {@code server_name} declarations; comments are dropped first.
 */
public final class NginxConfigDump {

  private static final String FILE_HEADER = "# configuration file ";
  private static final Pattern SERVER_NAME = Pattern.compile("(?<![\\w$])server_name\\s+([^;]*);");

  private final Map<Path, String> files;

  private NginxConfigDump(Map<Path, String> files) {
    this.files = files;
  }

  static NginxConfigDump parse(String dump) {
    Map<Path, String> files = new LinkedHashMap<>();
    Path current = null;
    StringBuilder text = new StringBuilder();
    for (String line : dump.split("\n", -1)) {
      if (line.startsWith(FILE_HEADER) && line.endsWith(":")) {
        if (current != null) {
          files.put(current, text.toString());
        }
        current = Path.of(line.substring(FILE_HEADER.length(), line.length() - 1));
        text.setLength(0);
      } else if (current != null) {
        text.append(line).append('\n');
      }
    }
    if (current != null) {
      files.put(current, text.toString());
    }
    return new NginxConfigDump(files);
  }

  /** The files nginx reads, first the main one. */
  public List<Path> files() {
    return List.copyOf(files.keySet());
  }

  String mainFileText() {
    return files.isEmpty() ? "" : withoutComments(files.values().iterator().next());
  }

  /** One {@code server_name} directive: the file it is in and its names, lower-case. */
  public record ServerNames(Path file, List<String> names) {}

  public List<ServerNames> serverNames() {
    List<ServerNames> all = new ArrayList<>();
    files.forEach(
        (file, text) -> {
          Matcher m = SERVER_NAME.matcher(withoutComments(text));
          while (m.find()) {
            List<String> names = new ArrayList<>();
            for (String n : m.group(1).trim().split("\\s+")) {
              if (!n.isEmpty()) {
                names.add(n.replace("\"", "").replace("'", "").toLowerCase(Locale.ROOT));
              }
            }
            all.add(new ServerNames(file, names));
          }
        });
    return all;
  }

  /** Drops {@code #} comments outside quotes. */
  private static String withoutComments(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (String line : text.split("\n", -1)) {
      char quote = 0;
      int end = line.length();
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (quote != 0) {
          if (c == quote) {
            quote = 0;
          }
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '#') {
          end = i;
          break;
        }
      }
      out.append(line, 0, end).append('\n');
    }
    return out.toString();
  }
}
