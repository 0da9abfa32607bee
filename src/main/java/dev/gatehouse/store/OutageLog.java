package dev.gatehouse.store;

import java.time.Duration;

/**
 * One WARN line when the database becomes unreachable and one INFO line when it is back, however many calls
 * fail in between; no stack traces, as an outage is an operating condition, not a bug. Thread-safe.
 */
final class OutageLog {
  private static final System.Logger LOG = System.getLogger(PostgresStorage.class.getName());

  private final String where;
  private long downSince;
  private boolean down;
  private boolean toldFallback;

  OutageLog(String where) {
    this.where = where;
  }

  synchronized boolean isDown() {
    return down;
  }

  /** Nanotime of the last failure, for pacing reconnects during an outage. */
  synchronized long downSince() {
    return downSince;
  }

  /** A call could not reach the database: the first failure of an outage is logged, later ones are not. */
  synchronized void unreachable(String reason) {
    if (!down) {
      down = true;
      downSince = System.nanoTime();
      toldFallback = false;
      LOG.log(System.Logger.Level.WARNING, "storage: PostgreSQL at " + where + " is unreachable (" + reason
          + "); serving what this node has, retrying in the background");
    }
  }

  /** A call reached the database: ends the outage, if there was one, with one line. */
  synchronized void reachable() {
    if (down) {
      down = false;
      Duration outage = Duration.ofNanos(System.nanoTime() - downSince);
      LOG.log(System.Logger.Level.INFO, "storage: PostgreSQL at " + where + " is reachable again after "
          + outage.toSeconds() + " s");
    }
  }

  /** Says once per outage (or once at a start without the database) that reads come from the local copy. */
  synchronized void servingFromCopy(Object copyDir) {
    if (!toldFallback) {
      toldFallback = true;
      LOG.log(System.Logger.Level.WARNING, "storage: reading from the local copy in " + copyDir
          + " (what this node last served) while PostgreSQL at " + where + " is unreachable");
    }
  }
}
