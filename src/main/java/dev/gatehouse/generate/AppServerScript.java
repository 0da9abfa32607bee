package dev.gatehouse.generate;

import dev.gatehouse.config.ConfigException;
import java.util.List;
import java.util.regex.Pattern;

/** The shell script that starts an app server: a comment header, then one {@code exec} line. */
final class AppServerScript {
  private AppServerScript() {}

  /** Where Gunicorn and Uvicorn accept forwarded headers by default: loopback (their own defaults). */
  static final String LOOPBACK_PROXIES = "127.0.0.1,::1";

  /** {@code package.module:attribute}, the form both servers take; nothing the shell would interpret. */
  private static final Pattern APP = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*(:[A-Za-z_][A-Za-z0-9_.]*)?");

  static String checkApp(String value) throws ConfigException {
    if (!APP.matcher(value).matches()) {
      throw ConfigException.invalid("--app", value, "module:attribute, e.g. mysite.wsgi:application");
    }
    return value;
  }

  static GeneratedFile write(String fileName, String header, List<String> comments, List<String> args) {
    ConfigText t = new ConfigText("    ", "# ");
    t.line("#!/bin/sh");
    t.comment(header);
    t.comment("");
    comments.forEach(t::comment);
    t.comment("Django also needs SECURE_PROXY_SSL_HEADER: see `gatehouse generate django`.");
    StringBuilder cmd = new StringBuilder("exec");
    for (int i = 0; i < args.size(); i++) {
      cmd.append(i < 2 ? " " : " \\\n    ").append(args.get(i));
    }
    t.line(cmd.toString());
    return new GeneratedFile(fileName, t.toString());
  }

  /** Quotes a value for sh when it holds anything but safe characters (e.g. the {@code *} glob). */
  static String shellWord(String s) {
    return s.matches("[A-Za-z0-9_.,:/=@+-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
