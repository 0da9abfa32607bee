package dev.gatehouse.nginx;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.generate.CronGenerator;
import dev.gatehouse.generate.GeneratedFile;
import dev.gatehouse.generate.SystemdGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Installs certificate renewal with nginx's reload as deploy hook: the systemd timer where systemd runs
 * (the test of sd_booted(3): {@code /run/systemd/system} exists), else a cron.d file.
 */
public final class RenewalInstaller {

  /** How renewal is installed ({@code --renewal}). */
  public enum Mode {
    AUTO,
    SYSTEMD,
    CRON,
    NONE;

    public static Mode parse(String where, String value) throws ConfigException {
      try {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw ConfigException.invalid(where, value, "auto, systemd, cron or none");
      }
    }
  }

  /**
   * @param gatehouseBin the command the timer or cron runs
   * @param systemdDir where unit files go ({@code /etc/systemd/system})
   * @param cronDir where the cron file goes ({@code /etc/cron.d})
   */
  public record Settings(Mode mode, Path gatehouseBin, Path stateDir, Path systemdDir, Path cronDir) {
    public static final Path DEFAULT_SYSTEMD_DIR = Path.of("/etc/systemd/system");
    public static final Path DEFAULT_CRON_DIR = Path.of("/etc/cron.d");
  }

  private final Settings settings;
  private final Mode mode;

  public RenewalInstaller(Settings settings) {
    this.settings = settings;
    this.mode = settings.mode() == Mode.AUTO
        ? (Files.isDirectory(Path.of("/run/systemd/system")) ? Mode.SYSTEMD : Mode.CRON)
        : settings.mode();
  }

  /** The files {@link #install} writes: they go into the rollback point first. */
  public List<Path> plannedFiles() {
    return switch (mode) {
      case SYSTEMD -> List.of(
          settings.systemdDir().resolve(SystemdGenerator.RENEW_SERVICE),
          settings.systemdDir().resolve(SystemdGenerator.RENEW_TIMER));
      case CRON -> List.of(settings.cronDir().resolve(CronGenerator.FILE_NAME));
      case NONE, AUTO -> List.of();
    };
  }

  /** Writes the units or the cron file; with systemd, enables and starts the timer. Returns what it did. */
  public String install(String deployHook) throws IOException, ConfigException {
    switch (mode) {
      case SYSTEMD -> {
        List<GeneratedFile> units =
            new SystemdGenerator().renewalUnits(settings.gatehouseBin(), settings.stateDir(), deployHook);
        for (GeneratedFile unit : units) {
          unit.writeTo(settings.systemdDir().resolve(unit.name()));
        }
        systemctl("daemon-reload");
        systemctl("enable", "--now", SystemdGenerator.RENEW_TIMER);
        return SystemdGenerator.RENEW_TIMER + " enabled (" + settings.systemdDir() + ")";
      }
      case CRON -> {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        GeneratedFile cron = new CronGenerator()
            .renewal(settings.gatehouseBin(), settings.stateDir(), deployHook, random.nextInt(60), random.nextInt(12));
        Path target = settings.cronDir().resolve(cron.name());
        cron.writeTo(target);
        return target.toString();
      }
      case NONE -> {
        return "skipped (--renewal none): run `gatehouse certs renew --deploy-hook \"" + deployHook + "\"` yourself";
      }
      default -> throw new IllegalStateException("renewal mode resolved in the constructor: " + mode);
    }
  }

  /**
   * Whether restoring {@code point} removes a renewal timer that setup installed, which systemd must stop
   * and disable before its file goes.
   */
  static boolean removesTimer(RollbackPoint point) {
    return point.files().stream()
        .anyMatch(f -> f.kind().equals("absent") && f.path().endsWith("/" + SystemdGenerator.RENEW_TIMER)
            && Files.exists(Path.of(f.path())));
  }

  /** Stops and disables the timer (before its unit file is removed). */
  static void disableTimer() throws IOException {
    systemctl("disable", "--now", SystemdGenerator.RENEW_TIMER);
  }

  /** Makes systemd re-read its unit files (after a rollback changed them). */
  static void daemonReload() throws IOException {
    systemctl("daemon-reload");
  }

  private static void systemctl(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("systemctl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      if (!p.waitFor(NginxBinary.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IOException(String.join(" ", cmd) + " did not finish");
      }
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", cmd) + " failed: " + output);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted: " + String.join(" ", cmd), e);
    }
  }
}
