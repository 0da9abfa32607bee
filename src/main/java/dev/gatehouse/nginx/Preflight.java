package dev.gatehouse.nginx;

import dev.gatehouse.generate.NginxVersion;
import dev.gatehouse.generate.Site;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What must hold before setup changes anything, each with the fix when it does not: nginx installed,
 * running and accepting its current configuration; the sites directory included by it; every name
 * resolving to this host; the ports free or nginx's; no site file that setup cannot take over; the app
 * server answering.
 */
final class Preflight {

  static final String STEP = "preflight";

  private static final Pattern INCLUDE = Pattern.compile("(?<![\\w$])include\\s+([^;\\s]+)\\s*;");

  /** What preflight learned that the later steps use. */
  record Findings(NginxVersion version, List<Path> conflicts, String summary) {}

  private final SetupRequest request;
  private final NginxBinary nginx;
  private final PortOwners ports;

  Preflight(SetupRequest request, NginxBinary nginx, PortOwners ports) {
    this.request = request;
    this.nginx = nginx;
    this.ports = ports;
  }

  Findings run(Path target) throws SetupException, IOException {
    NginxPaths paths = request.nginx();
    Site site = request.site();
    NginxVersion version;
    try {
      version = nginx.version();
    } catch (IOException e) {
      throw fail("nginx is not installed or not runnable (" + e.getMessage() + "): apt install nginx, or pass --nginx-bin");
    }
    NginxBinary.Run test = nginx.test();
    if (!test.ok()) {
      throw fail("the current nginx configuration is already invalid, fix it first: "
          + NginxRollback.firstError(test.messages()));
    }
    NginxConfigDump dump = nginx.dump();
    if (nginx.masterPid(dump).isEmpty()) {
      throw fail("nginx is not running (no live master process in its pid file): start it, e.g. systemctl start nginx");
    }
    if (!Files.isDirectory(paths.sitesDir())) {
      throw fail("--sites-dir " + paths.sitesDir() + " does not exist");
    }
    if (!includesSitesDir(dump, paths)) {
      throw fail(paths.mainConfig() + " does not include " + paths.sitesDir()
          + ": add `include " + paths.sitesDir() + "/*;` to its http block, or pass the --sites-dir it includes");
    }
    if (request.dnsCheck()) {
      checkNames(site.names());
    }
    checkPort("--http-port", site.httpPort());
    checkPort("--https-port", site.httpsPort());
    List<Path> conflicts = SiteConflicts.find(dump, site.names(), paths.sitesDir(), target, STEP);
    try {
      SiteProbe.Response r = SiteProbe.upstream(site.upstream(), site.names().get(0));
      if (r.status() >= 500) {
        throw fail("the app server at " + site.upstream().spec() + " answers " + r.status() + ": fix the app first");
      }
    } catch (IOException e) {
      throw fail("the app server at " + site.upstream().spec() + " does not answer (" + e.getMessage()
          + "): start Gunicorn or Uvicorn there first");
    }
    String summary = "nginx " + version + ", running, config valid; "
        + (request.dnsCheck() ? "names resolve here; " : "")
        + "ports " + site.httpPort() + "/" + site.httpsPort() + " free or nginx's; app answers"
        + (conflicts.isEmpty() ? "" : "; will disable " + conflicts.stream().map(Path::toString).collect(Collectors.joining(", ")));
    return new Findings(version, conflicts, summary);
  }

  private static boolean includesSitesDir(NginxConfigDump dump, NginxPaths paths) {
    for (Path file : dump.files()) {
      if (file.getParent() != null && file.getParent().equals(paths.sitesDir())) {
        return true;
      }
    }
    String main = dump.mainFileText();
    Matcher m = INCLUDE.matcher(main);
    while (m.find()) {
      Path included = paths.confDir().resolve(m.group(1).replace("\"", "")).normalize();
      if (included.startsWith(paths.sitesDir())) {
        return true;
      }
    }
    return false;
  }

  private void checkNames(List<String> names) throws SetupException, IOException {
    NameResolution resolution = new NameResolution(request.dnsServer());
    Set<InetAddress> local = NameResolution.localAddresses();
    for (String name : names) {
      List<InetAddress> addresses = resolution.addresses(name);
      if (addresses.isEmpty()) {
        throw fail(name + " does not resolve: add an A (and AAAA) record pointing here, then wait for it to be visible");
      }
      List<String> elsewhere = new ArrayList<>();
      for (InetAddress a : addresses) {
        if (!local.contains(a)) {
          elsewhere.add(a.getHostAddress());
        }
      }
      if (!elsewhere.isEmpty()) {
        throw fail(name + " resolves to " + String.join(", ", elsewhere) + ", not an address of this host: "
            + "point its records here, or pass --no-dns-check if a load balancer forwards port 80 here");
      }
    }
  }

  private void checkPort(String flag, int port) throws SetupException, IOException {
    PortOwners.Listeners l = ports.listeners(port);
    if (!l.listening()) {
      return;
    }
    if (l.programs().isEmpty()) {
      throw fail("port " + port + " is in use by a process gatehouse cannot see (run as root to identify it), "
          + "or choose another " + flag);
    }
    List<String> others = l.programs().stream().filter(p -> !p.equals("nginx")).toList();
    if (!others.isEmpty()) {
      throw fail("port " + port + " is in use by " + String.join(", ", others) + ": stop it, or choose another " + flag);
    }
  }

  private static SetupException fail(String reason) {
    return new SetupException(STEP, reason);
  }
}
