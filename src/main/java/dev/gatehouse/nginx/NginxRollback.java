package dev.gatehouse.nginx;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts a rollback point back and makes nginx run it: restore the files, {@code nginx -t}, reload. Used after
 * a failed setup and by {@code gatehouse nginx rollback}.
 */
public final class NginxRollback {

  private final NginxBinary nginx;

  public NginxRollback(NginxBinary nginx) {
    this.nginx = nginx;
  }

  /** What a rollback did: one line per file, and whether nginx accepted and reloaded the result. */
  public record Outcome(List<String> files, boolean configValid, boolean reloaded, String nginxMessage) {
    public String summary() {
      String config = configValid ? (reloaded ? "nginx -t ok, reloaded" : "nginx -t ok, reload failed: " + nginxMessage)
          : "nginx -t fails on the restored files: " + nginxMessage;
      return files.size() + " file(s) restored, " + config;
    }
  }

  public Outcome restore(RollbackPoint point) throws IOException {
    boolean timer = RenewalInstaller.removesTimer(point);
    if (timer) {
      RenewalInstaller.disableTimer();
    }
    List<String> files = new ArrayList<>(point.restore());
    if (timer) {
      RenewalInstaller.daemonReload();
    }
    NginxBinary.Run test = nginx.test();
    if (!test.ok()) {
      return new Outcome(files, false, false, firstError(test.messages()));
    }
    try {
      nginx.reload();
      return new Outcome(files, true, true, "");
    } catch (IOException e) {
      return new Outcome(files, true, false, e.getMessage());
    }
  }

  /** nginx's {@code [emerg]} line, which names the file and line, without the "test failed" trailer. */
  static String firstError(String messages) {
    return messages.lines()
        .filter(l -> l.contains("[emerg]") || l.contains("[crit]") || l.contains("[alert]"))
        .findFirst()
        .map(l -> l.replaceFirst("^.*?\\[(emerg|crit|alert)\\] (\\d+#\\d+: )?", ""))
        .orElse(messages.lines().findFirst().orElse("(no output)"));
  }
}
