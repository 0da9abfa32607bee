package dev.gatehouse.generate;

import dev.gatehouse.config.ConfigException;
import java.nio.file.Path;

/**
 * The cron alternative to the renewal timer of {@link SystemdGenerator}, for machines without systemd: an
 * {@code /etc/cron.d} file running {@code gatehouse certs renew} twice a day with the reload hook.
 */
public final class CronGenerator {

  /** cron.d ignores files whose names contain dots (run-parts naming), so no extension. */
  public static final String FILE_NAME = "gatehouse-renew";

  /**
   * @param minute 0-59 and {@code hour} 0-11: the installer picks them at random, so that machines spread
   *     their checks over the day instead of all asking the CA at midnight
   */
  public GeneratedFile renewal(Path gatehouseBin, Path stateDir, String deployHook, int minute, int hour)
      throws ConfigException {
    SafePaths.check("--gatehouse-bin", gatehouseBin);
    SafePaths.check("--state-dir", stateDir);
    SystemdGenerator.checkHook(deployHook);
    if (minute < 0 || minute > 59 || hour < 0 || hour > 11) {
      throw new IllegalArgumentException("minute " + minute + " hour " + hour + " (expected: 0-59, 0-11)");
    }
    String text =
        "# Certificate renewal for nginx, written by `gatehouse nginx setup`.\n"
            + "# Twice a day; renews only what is due and reloads nginx after each renewed certificate.\n"
            + "SHELL=/bin/sh\n"
            + "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n"
            + minute + " " + hour + "," + (hour + 12) + " * * * root "
            + gatehouseBin + " certs renew --state-dir " + stateDir + " --deploy-hook \"" + deployHook + "\"\n";
    return new GeneratedFile(FILE_NAME, text);
  }
}
