package dev.gatehouse.nginx;

import dev.gatehouse.testing.Curl;
import dev.gatehouse.testing.CurlResult;
import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.DjangoVersion;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.Nginx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The starting point of the classic guide: nginx (own prefix, loopback high ports) serving the Django test
 * site over plain HTTP from Gunicorn on a Unix socket, Debian style: the site in {@code sites-available/},
 * a link to it in {@code sites-enabled/}, which nginx.conf includes.
 */
public final class PlainHttpSite implements AutoCloseable {

  public static final List<String> NAMES = List.of("app.test", "www.app.test");

  public final DjangoApp app;
  public final Nginx nginx;
  public final int httpPort;
  public final int httpsPort;
  public final Path sitesDir;
  public final Path available;
  public final Path staticDir;

  private PlainHttpSite(Path work, int httpPort, int httpsPort) throws IOException {
    this.httpPort = httpPort;
    this.httpsPort = httpsPort;
    DjangoApp startedApp = DjangoApp.gunicornUnix(DjangoVersion.VENV_52, Map.of("DJANGO_ALLOWED_HOSTS", String.join(",", NAMES)));
    Nginx startedNginx = null;
    try {
      startedNginx = Nginx.inNewPrefix();
      sitesDir = Files.createDirectories(startedNginx.prefix().resolve("sites-enabled"));
      available = Files.createDirectories(startedNginx.prefix().resolve("sites-available"));
      staticDir = Files.createDirectories(work.resolve("staticfiles"));
      Files.createDirectories(staticDir.resolve("css"));
      Files.writeString(staticDir.resolve("css/site.css"), "body { color: teal; }\n");
      Files.writeString(available.resolve("app.test"), "server {\n"
          + "    listen 127.0.0.1:" + httpPort + ";\n"
          + "    server_name app.test www.app.test;\n"
          + "    location / {\n"
          + "        proxy_pass http://" + startedApp.upstreamArg() + ":;\n"
          + "        proxy_set_header Host $http_host;\n"
          + "    }\n"
          + "}\n");
      Files.createSymbolicLink(sitesDir.resolve("app.test"), Path.of("../sites-available/app.test"));
      startedNginx.startWithHttpBlock(httpBlock());
    } catch (IOException | RuntimeException e) {
      if (startedNginx != null) {
        startedNginx.close();
      }
      startedApp.close();
      throw e;
    }
    this.app = startedApp;
    this.nginx = startedNginx;
  }

  /** On two free ports. */
  public static PlainHttpSite start(Path work) throws IOException {
    return start(work, FreePorts.next(), FreePorts.next());
  }

  /** On given ports, e.g. the ones a Pebble validates on. */
  public static PlainHttpSite start(Path work, int httpPort, int httpsPort) throws IOException {
    return new PlainHttpSite(work, httpPort, httpsPort);
  }

  /** What the harness's nginx.conf holds in its http block: the sites directory. */
  public String httpBlock() {
    return "include " + sitesDir + "/*;";
  }

  public Path confDir() {
    return nginx.prefix().resolve("conf");
  }

  /** nginx.conf's directory, the sites directories: what setup may touch and rollback must restore. */
  public Map<String, String> snapshot() {
    return FileSnapshot.of(confDir(), sitesDir, available);
  }

  public NginxPaths paths() {
    return new NginxPaths(Path.of("/usr/sbin/nginx"), confDir(), sitesDir);
  }

  public CurlResult plainEcho() {
    return Curl.to("http://app.test:" + httpPort + "/echo/").run();
  }

  public String origin() {
    return "https://app.test:" + httpsPort;
  }

  public void writeSite(String name, String text) {
    try {
      Files.writeString(sitesDir.resolve(name), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    nginx.close();
    app.close();
  }

  /** A condition checked again until it holds or 15 s pass. */
  public interface Condition {
    boolean holds() throws Exception;
  }

  /** nginx applies a reload asynchronously: wait for what a user sees a moment later. */
  public static boolean eventually(Condition condition) throws Exception {
    long deadline = System.nanoTime() + 15_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (condition.holds()) {
        return true;
      }
      Thread.sleep(100);
    }
    return condition.holds();
  }
}
