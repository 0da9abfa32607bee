package dev.gatehouse.generate;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.HstsPolicy;
import dev.gatehouse.config.Limits;
import dev.gatehouse.config.StaticMount;
import dev.gatehouse.config.Upstream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * systemd units: one that runs {@code gatehouse serve} for a site with the least privilege it needs, and,
 * for sites that keep nginx, a service and timer that renew certificates and reload nginx.
 */
public final class SystemdGenerator {

  public static final String SERVE_UNIT = "gatehouse.service";
  public static final String RENEW_SERVICE = "gatehouse-renew.service";
  public static final String RENEW_TIMER = "gatehouse-renew.timer";

  public static final Path DEFAULT_GATEHOUSE_BIN = Path.of("/usr/local/bin/gatehouse");
  public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/gatehouse");
  public static final String DEFAULT_DEPLOY_HOOK = "nginx -s reload";

  /**
   * Twice a day at a random moment, like certbot's timer: renewal itself decides whether a certificate is
   * due, and spreading the checks keeps load off the CA (Let's Encrypt asks clients not to renew on the hour).
   */
  public static final String RENEW_CALENDAR = "*-*-* 00,12:00:00";

  public static final String RENEW_RANDOM_DELAY = "12h";

  /**
   * The serve unit's memory backstop. The JVM's own bounds come from {@code bin/gatehouse}, which the unit runs
   * (heap 256 MiB, direct buffers 128 MiB, compiled code 64 MiB, class metadata 128 MiB; about 160 MiB resident
   * after the benchmark's load, BENCHMARKS.md); this adds room for BoringSSL's memory per open connection, which
   * no JVM flag bounds. Past it the kernel ends the process and {@code Restart=} starts it again.
   */
  public static final String SERVE_MEMORY_MAX = "1G";

  /** A hook is a plain command line: no quotes, {@code %} (a systemd specifier) or {@code \}. */
  private static final Pattern HOOK = Pattern.compile("[A-Za-z0-9 /._+=@,:-]+");

  /**
   * {@code gatehouse.service}: serve with the site's flags, state in {@code /var/lib/gatehouse}, bound to
   * ports 80/443 through CAP_NET_BIND_SERVICE alone, as a dynamic user in a read-only file system.
   */
  public GeneratedFile serveUnit(Site site, Path gatehouseBin) throws ConfigException {
    SafePaths.check("--gatehouse-bin", gatehouseBin);
    List<String> args = new ArrayList<>(List.of(gatehouseBin + " serve " + String.join(" ", site.names())));
    args.add("--upstream " + site.upstream().spec());
    for (StaticMount mount : site.statics()) {
      args.add("--static " + mount.prefix() + "=" + mount.directory());
    }
    site.bind().ifPresent(addr -> args.add("--bind " + addr));
    if (site.httpPort() != Site.DEFAULT_HTTP_PORT) {
      args.add("--http-port " + site.httpPort());
    }
    if (site.httpsPort() != Site.DEFAULT_HTTPS_PORT) {
      args.add("--https-port " + site.httpsPort());
    }
    if (site.maxBodyBytes() != Limits.DEFAULT_MAX_BODY_BYTES) {
      args.add("--max-body " + SizeUnits.gatehouse(site.maxBodyBytes()));
    }
    HstsPolicy hsts = site.hsts();
    switch (hsts.mode()) {
      case OFF -> args.add("--hsts off");
      case FIXED -> args.add("--hsts " + hsts.fixedSeconds());
      case RAMP -> { } // serve's default
    }
    if (hsts.includeSubdomains()) {
      args.add("--hsts-include-subdomains");
    }
    if (hsts.preload()) {
      args.add("--hsts-preload");
    }
    args.add("--state-dir " + DEFAULT_STATE_DIR);

    ConfigText t = new ConfigText("", "# ");
    t.comment(
        "Gatehouse for "
            + String.join(" ", site.names())
            + ", written by `gatehouse generate systemd`.\n"
            + "Install as /etc/systemd/system/"
            + SERVE_UNIT
            + ", then `systemctl daemon-reload && systemctl enable --now gatehouse`.");
    t.line("[Unit]");
    t.line("Description=Gatehouse HTTPS front door for " + String.join(" ", site.names()));
    t.line("Wants=network-online.target");
    t.line("After=network-online.target");
    t.blank();
    t.line("[Service]");
    t.line("Type=exec");
    t.line("ExecStart=" + joinContinued(args));
    t.line("Restart=on-failure");
    t.line("RestartSec=5s");
    t.comment("Certificates, account keys and the HSTS stage: /var/lib/gatehouse, private to the service.");
    t.line("StateDirectory=gatehouse");
    t.line("StateDirectoryMode=0700");
    t.comment("Where bin/gatehouse keeps its start-up archive or AOT cache (faster starts): /var/cache/gatehouse.");
    t.line("CacheDirectory=gatehouse");
    t.line("CacheDirectoryMode=0700");
    t.comment(
        "JVM settings (collector, heap and other memory bounds) are bin/gatehouse's; change them with\n"
            + "Environment=GATEHOUSE_JAVA_OPTS=... in `systemctl edit gatehouse`. A backstop above them:");
    t.line("MemoryMax=" + SERVE_MEMORY_MAX);
    t.line("UMask=0077");
    t.comment(
        "No account to create: systemd picks a user id and gives it only the state directory to write.\n"
            + "Ports 80 and 443 through this one capability instead of root.");
    t.line("DynamicUser=yes");
    t.line("AmbientCapabilities=CAP_NET_BIND_SERVICE");
    t.line("CapabilityBoundingSet=CAP_NET_BIND_SERVICE");
    if (site.upstream() instanceof Upstream.UnixSocket) {
      t.comment("The app server's socket is 0770 with group www-data (see `gatehouse generate gunicorn`).");
      t.line("SupplementaryGroups=www-data");
    }
    t.comment("Sandboxing (systemd.exec(5)); `systemd-analyze security gatehouse` scores it.");
    t.line("NoNewPrivileges=yes");
    t.line("ProtectSystem=strict");
    t.comment("Read-only rather than hidden, so static directories under /home still work.");
    t.line("ProtectHome=read-only");
    t.line("PrivateTmp=yes");
    t.line("PrivateDevices=yes");
    t.line("ProtectKernelTunables=yes");
    t.line("ProtectKernelModules=yes");
    t.line("ProtectKernelLogs=yes");
    t.line("ProtectControlGroups=yes");
    t.line("ProtectClock=yes");
    t.line("ProtectHostname=yes");
    t.line("RestrictNamespaces=yes");
    t.line("RestrictRealtime=yes");
    t.line("RestrictSUIDSGID=yes");
    t.line("LockPersonality=yes");
    t.line("RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK");
    t.line("SystemCallArchitectures=native");
    t.line("SystemCallFilter=@system-service");
    t.comment("Not MemoryDenyWriteExecute: the JVM's JIT compiler writes the code it runs.");
    t.line("LimitNOFILE=65536");
    t.blank();
    t.line("[Install]");
    t.line("WantedBy=multi-user.target");
    return new GeneratedFile(SERVE_UNIT, t.toString());
  }

  /**
   * {@code gatehouse-renew.service} and {@code .timer}: for nginx sites, {@code gatehouse certs renew} twice
   * a day, reloading nginx after each renewed certificate. Runs as root: it writes the state directory and
   * the webroot, and signals nginx's master process.
   */
  public List<GeneratedFile> renewalUnits(Path gatehouseBin, Path stateDir, String deployHook) throws ConfigException {
    SafePaths.check("--gatehouse-bin", gatehouseBin);
    SafePaths.check("--state-dir", stateDir);
    checkHook(deployHook);
    ConfigText s = new ConfigText("", "# ");
    s.comment(
        "Certificate renewal for nginx, written by `gatehouse generate systemd --renewal`.\n"
            + "Install with "
            + RENEW_TIMER
            + " in /etc/systemd/system/, then\n`systemctl daemon-reload && systemctl enable --now "
            + RENEW_TIMER
            + "`.");
    s.line("[Unit]");
    s.line("Description=Renew Gatehouse certificates and reload nginx");
    s.line("Wants=network-online.target");
    s.line("After=network-online.target");
    s.blank();
    s.line("[Service]");
    s.line("Type=oneshot");
    s.comment("Renews only what is due; the hook runs after each renewed certificate.");
    s.line(
        "ExecStart="
            + gatehouseBin
            + " certs renew --state-dir "
            + stateDir
            + " --deploy-hook \""
            + deployHook
            + "\"");
    s.comment("Sandboxing (systemd.exec(5)): /usr, /boot and /etc read-only, /home hidden.");
    s.line("NoNewPrivileges=yes");
    s.line("ProtectSystem=full");
    s.line("ProtectHome=yes");
    s.line("PrivateTmp=yes");
    s.line("PrivateDevices=yes");
    s.line("ProtectKernelTunables=yes");
    s.line("ProtectKernelModules=yes");
    s.line("ProtectControlGroups=yes");
    s.line("RestrictRealtime=yes");
    s.line("RestrictSUIDSGID=yes");
    s.line("LockPersonality=yes");
    s.line("RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK");

    ConfigText timer = new ConfigText("", "# ");
    timer.comment("Runs " + RENEW_SERVICE + " twice a day at a random moment; catches up after downtime.");
    timer.line("[Unit]");
    timer.line("Description=Check Gatehouse certificates for renewal twice a day");
    timer.blank();
    timer.line("[Timer]");
    timer.line("OnCalendar=" + RENEW_CALENDAR);
    timer.line("RandomizedDelaySec=" + RENEW_RANDOM_DELAY);
    timer.line("Persistent=true");
    timer.blank();
    timer.line("[Install]");
    timer.line("WantedBy=timers.target");
    return List.of(new GeneratedFile(RENEW_SERVICE, s.toString()), new GeneratedFile(RENEW_TIMER, timer.toString()));
  }

  /** The hook goes inside double quotes in ExecStart and cron lines: nothing that would end or escape them. */
  static void checkHook(String deployHook) throws ConfigException {
    if (!HOOK.matcher(deployHook).matches()) {
      throw ConfigException.invalid(
          "--deploy-hook", deployHook, "a plain command line such as 'nginx -s reload' (no quotes, % or \\)");
    }
  }

  /** One argument per line with systemd's backslash continuation, as long ExecStart lines are usually written. */
  private static String joinContinued(List<String> args) {
    StringBuilder b = new StringBuilder(args.get(0));
    for (int i = 1; i < args.size(); i++) {
      b.append(" \\\n    ").append(args.get(i));
    }
    return b.toString();
  }
}
