package dev.gatehouse.nginx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the nginx to manage lives: a system nginx (the defaults, Debian's layout) or one with its own
 * prefix. Every nginx command gets {@code -c CONF_DIR/nginx.conf}, so the same code drives both.
 *
 * @param binary the nginx executable ({@code --nginx-bin})
 * @param confDir the directory of {@code nginx.conf} ({@code --nginx-conf-dir})
 * @param sitesDir the directory nginx.conf includes site files from, where gatehouse writes ({@code --sites-dir})
 */
public record NginxPaths(Path binary, Path confDir, Path sitesDir) {

  public static final Path DEFAULT_BINARY = Path.of("/usr/sbin/nginx");
  public static final Path DEFAULT_CONF_DIR = Path.of("/etc/nginx");
  public static final Path DEFAULT_SITES_DIR = Path.of("/etc/nginx/sites-enabled");

  public static final NginxPaths DEFAULT = new NginxPaths(DEFAULT_BINARY, DEFAULT_CONF_DIR, DEFAULT_SITES_DIR);

  public Path mainConfig() {
    return confDir.resolve("nginx.conf");
  }

  /** {@code nginx -c CONF ARGS...}. */
  List<String> command(String... args) {
    List<String> cmd = new ArrayList<>(List.of(binary.toString(), "-c", mainConfig().toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** The command that makes this nginx reload, for renewal's deploy hook. */
  public String reloadCommand() {
    if (equals(DEFAULT)) {
      return "nginx -s reload";
    }
    return binary + " -c " + mainConfig() + " -s reload";
  }
}
