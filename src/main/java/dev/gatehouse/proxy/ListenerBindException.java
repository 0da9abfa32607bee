package dev.gatehouse.proxy;

import java.io.IOException;
import java.util.Locale;

/**
 * A listener could not be opened. The message is one line naming the address, the port, the flag that sets
 * it and what to do, e.g. {@code cannot listen on 0.0.0.0:80 (--http-port): permission denied for port 80:
 * use setcap cap_net_bind_service=+ep or a port >= 1024}.
 */
public final class ListenerBindException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Ports below this need root or CAP_NET_BIND_SERVICE on Linux. */
  static final int FIRST_UNPRIVILEGED_PORT = 1024;

  private ListenerBindException(String message, Throwable cause) {
    super(message, cause);
  }

  static ListenerBindException of(String address, int port, String flag, Throwable cause) {
    String host = address.contains(":") ? "[" + address + "]" : address;
    String where = "cannot listen on " + host + ":" + port + " (" + flag + "): ";
    String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
    String why;
    if (message.contains("permission denied") || message.contains("access denied")) {
      why = "permission denied for port " + port
          + ": use setcap cap_net_bind_service=+ep on the java binary, run as root, or a port >= "
          + FIRST_UNPRIVILEGED_PORT;
    } else if (message.contains("in use")) {
      why = "port " + port + " in use: stop the other server or choose another port with " + flag;
    } else if (message.contains("assign") || message.contains("not available")) {
      why = "address " + address + " is not on this machine (--bind)";
    } else {
      why = cause instanceof IOException ? cause.getMessage() : cause.toString();
    }
    return new ListenerBindException(where + why, cause);
  }
}
