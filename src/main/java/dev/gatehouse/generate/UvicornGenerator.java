package dev.gatehouse.generate;

import static dev.gatehouse.generate.AppServerScript.shellWord;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.Upstream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The Uvicorn command behind the proxy: listening where the proxy connects, taking scheme and client
 * address from the proxy's headers ({@code --proxy-headers}) and from no one else.
 */
public final class UvicornGenerator {

  public static final String FILE_NAME = "uvicorn.sh";
  public static final String DEFAULT_APP = "mysite.asgi:application";

  /**
   * @param app the ASGI application, {@code module:attribute}
   * @param forwardedAllowIps the proxy's addresses; default loopback for TCP, {@code *} for a socket
   */
  public GeneratedFile script(Upstream upstream, String app, Optional<String> forwardedAllowIps)
      throws ConfigException {
    List<String> args = new ArrayList<>(List.of("uvicorn", AppServerScript.checkApp(app)));
    String comment;
    if (upstream instanceof Upstream.UnixSocket socket) {
      comment =
          "--uds PATH: the proxy connects over a Unix socket, no TCP port is open.\n"
              + "--proxy-headers: take the scheme from X-Forwarded-Proto, the client from X-Forwarded-For.\n"
              + "--forwarded-allow-ips '*': a socket peer has no address to match, so Uvicorn must trust every\n"
              + "peer. It makes the socket 0666: the directory's mode is the trust boundary (systemd:\n"
              + "RuntimeDirectory= with RuntimeDirectoryMode=0750 and Group= nginx's or Gatehouse's group).";
      args.add("--uds " + socket.socket());
      args.add("--proxy-headers");
      args.add("--forwarded-allow-ips " + shellWord(forwardedAllowIps.orElse("*")));
    } else {
      Upstream.Tcp tcp = (Upstream.Tcp) upstream;
      comment =
          "--host/--port: where the proxy connects.\n"
              + "--proxy-headers: take the scheme from X-Forwarded-Proto, the client from X-Forwarded-For,\n"
              + "--forwarded-allow-ips: but only from these peers: the proxy's address as Uvicorn sees it\n"
              + "(change it if the proxy runs on another machine).";
      args.add("--host " + tcp.host());
      args.add("--port " + tcp.port());
      args.add("--proxy-headers");
      args.add("--forwarded-allow-ips " + shellWord(forwardedAllowIps.orElse(AppServerScript.LOOPBACK_PROXIES)));
    }
    return AppServerScript.write(
        FILE_NAME,
        "Uvicorn behind an HTTPS proxy, written by `gatehouse generate uvicorn`.\n"
            + app
            + " is the ASGI application (--app); run this from the project directory.",
        List.of(comment),
        args);
  }
}
