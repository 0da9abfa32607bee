package dev.gatehouse.nginx;

import java.io.PrintWriter;

/**
 * The step lines of {@code nginx setup}: on a terminal, {@code [ 3/13] title ... ok} on one line as the
 * step runs; in a log, one line when a step starts and one with its result, so a hang shows where.
 */
final class Progress {

  private final PrintWriter out;
  private final boolean terminal;
  private final int total;
  private int current;

  Progress(PrintWriter out, boolean terminal, int total) {
    this.out = out;
    this.terminal = terminal;
    this.total = total;
  }

  /** A step that yields a value. */
  interface Step<T> {
    T run() throws Exception;
  }

  /** Runs {@code step}, printing its title and outcome; a failure becomes a {@link SetupException}. */
  <T> T step(String title, Step<T> step, java.util.function.Function<T, String> detail) throws SetupException {
    current++;
    String prefix = String.format("[%" + Integer.toString(total).length() + "d/%d] ", current, total);
    if (terminal) {
      out.print(prefix + title + " ... ");
    } else {
      out.println(prefix + title);
    }
    out.flush();
    try {
      T result = step.run();
      String d = detail.apply(result);
      out.println((terminal ? "" : " ".repeat(prefix.length())) + "ok" + (d == null || d.isEmpty() ? "" : ": " + d));
      out.flush();
      return result;
    } catch (SetupException e) {
      failed(prefix);
      throw e;
    } catch (Exception e) {
      failed(prefix);
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw new SetupException(title, why.strip().replace('\n', ' '));
    }
  }

  /** A step whose result line needs no detail beyond what it returns as text. */
  String step(String title, Step<String> step) throws SetupException {
    return step(title, step, s -> s);
  }

  void line(String text) {
    out.println(text);
    out.flush();
  }

  private void failed(String prefix) {
    out.println((terminal ? "" : " ".repeat(prefix.length())) + "FAILED");
    out.flush();
  }
}
