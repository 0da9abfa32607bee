package dev.gatehouse.generate;

import static dev.gatehouse.generate.AppServerScript.shellWord;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Gunicorn command behind the proxy: listening where the proxy connects, believing the proxy's
 * X-Forwarded-Proto and nobody else's.
 */
public final class GunicornGenerator {

  public static final String FILE_NAME = "gunicorn.sh";
  public static final String DEFAULT_APP = "mysite.wsgi:application";

  /**
   * @param app the WSGI application, {@code module:attribute}
   * @param forwardedAllowIps the proxy's addresses; for a TCP upstream the default is loopback
   */
  public GeneratedFile script(Upstream upstream, String app, Optional<String> forwardedAllowIps)
      throws ConfigException {
    List<String> args = new ArrayList<>(List.of("gunicorn", AppServerScript.checkApp(app)));
    String comment;
    if (upstream instanceof Upstream.UnixSocket socket) {
      comment =
          "--bind unix:PATH: the proxy connects over a Unix socket, no TCP port is open.\n"
              + "Gunicorn believes X-Forwarded-Proto (and -Protocol, -Ssl) from every Unix-socket peer;\n"
              + "--forwarded-allow-ips only applies to TCP peers. So the socket's file mode is the trust\n"
              + "boundary: --umask 007 makes it 0770, only its owner and group may connect. Put nginx's user\n"
              + "(www-data on Debian) or Gatehouse's in that group, e.g. run Gunicorn with --group www-data.\n"
              + "The socket's directory must exist (systemd: RuntimeDirectory=).";
      args.add("--bind unix:" + socket.socket());
      args.add("--umask 007");
      forwardedAllowIps.ifPresent(ips -> args.add("--forwarded-allow-ips " + shellWord(ips)));
    } else {
      comment =
          "--bind HOST:PORT: where the proxy connects.\n"
              + "--forwarded-allow-ips: the only peers whose X-Forwarded-Proto Gunicorn believes: the proxy's\n"
              + "address as Gunicorn sees it (change it if the proxy runs on another machine).";
      args.add("--bind " + upstream.spec());
      args.add("--forwarded-allow-ips " + shellWord(forwardedAllowIps.orElse(AppServerScript.LOOPBACK_PROXIES)));
    }
    return AppServerScript.write(
        FILE_NAME,
        "Gunicorn behind an HTTPS proxy, written by `gatehouse generate gunicorn`.\n"
            + app
            + " is the WSGI application (--app); run this from the project directory.",
        List.of(comment),
        args);
  }
}
