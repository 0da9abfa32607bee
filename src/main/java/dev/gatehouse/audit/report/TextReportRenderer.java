package dev.gatehouse.audit.report;

import dev.gatehouse.audit.AuditReport;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Finding;
import dev.gatehouse.audit.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report for people: a summary line, then errors, warnings and notes with what was seen and the fix,
 * then the checks that passed and those that did not apply, wrapped to the terminal width. ANSI colours only
 * when asked (the command asks when stdout is a terminal and {@code NO_COLOR} is unset).
 */
public final class TextReportRenderer implements ReportRenderer {
  /** Width used when the terminal's is unknown. */
  public static final int DEFAULT_WIDTH = 100;
  private static final int MIN_WIDTH = 40;
  private static final String RESET = "\u001b[0m";
  private static final Map<Severity, String> COLOURS = Map.of(
      Severity.ERROR, "\u001b[1;31m", Severity.WARNING, "\u001b[1;33m", Severity.INFO, "\u001b[36m",
      Severity.OK, "\u001b[32m");

  private final boolean colour;
  private final int width;

  public TextReportRenderer(boolean colour, int width) {
    this.colour = colour;
    this.width = Math.max(MIN_WIDTH, width);
  }

  @Override
  public String render(AuditReport report, Severity failOn) {
    StringBuilder out = new StringBuilder();
    Map<Severity, Integer> counts = report.counts();
    long skippedCount = report.results().stream().filter(r -> r.skippedBecause().isPresent()).count();
    out.append("gatehouse audit ").append(report.target()).append('\n');
    out.append(report.results().size()).append(" checks in ")
        .append(String.format(Locale.ROOT, "%.1f", report.duration().toMillis() / 1000.0)).append(" s: ")
        .append(plural(counts.get(Severity.ERROR), "error")).append(", ")
        .append(plural(counts.get(Severity.WARNING), "warning")).append(", ")
        .append(counts.get(Severity.INFO)).append(" info, ")
        .append(counts.get(Severity.OK)).append(" ok, ")
        .append(skippedCount).append(" skipped").append('\n');
    for (Severity severity : List.of(Severity.ERROR, Severity.WARNING, Severity.INFO)) {
      List<Finding> group = report.findings().stream().filter(f -> f.severity() == severity).toList();
      if (group.isEmpty()) {
        continue;
      }
      out.append('\n').append(paint(severity, severity.name() + " (" + group.size() + ")")).append('\n');
      for (Finding finding : group) {
        appendFinding(out, finding);
      }
    }
    List<String> passed = new ArrayList<>();
    for (CheckResult result : report.results()) {
      if (result.skippedBecause().isEmpty() && result.worst() == Severity.OK && !result.findings().isEmpty()) {
        passed.add(result.checkId());
      }
    }
    if (!passed.isEmpty()) {
      out.append('\n');
      wrap(out, paint(Severity.OK, "OK") + " " + String.join(", ", passed), "", "   ");
    }
    List<CheckResult> skipped = report.results().stream().filter(r -> r.skippedBecause().isPresent()).toList();
    if (!skipped.isEmpty()) {
      out.append('\n');
      for (CheckResult result : skipped) {
        wrap(out, "SKIPPED " + result.checkId() + ": " + result.skippedBecause().get(), "", "   ");
      }
    }
    out.append('\n').append(report.fails(failOn)
        ? paint(Severity.ERROR, "FAILED") + ": findings at or above " + failOn.label() + "\n"
        : paint(Severity.OK, "PASSED") + ": nothing at or above " + failOn.label() + "\n");
    return out.toString();
  }

  private void appendFinding(StringBuilder out, Finding finding) {
    wrap(out, "- " + paint(finding.severity(), finding.checkId()) + "  " + finding.url(), "", "    ");
    wrap(out, finding.message(), "    ", "    ");
    if (!finding.observed().isEmpty()) {
      wrap(out, "seen: " + finding.observed(), "    ", "          ");
    }
    if (!finding.fix().isEmpty()) {
      wrap(out, "fix:  " + finding.fix(), "    ", "          ");
    }
  }

  private String paint(Severity severity, String text) {
    return colour ? COLOURS.get(severity) + text + RESET : text;
  }

  /** Appends {@code text} wrapped at the width, breaking at spaces; ANSI sequences do not count as width. */
  private void wrap(StringBuilder out, String text, String firstIndent, String nextIndent) {
    StringBuilder line = new StringBuilder(firstIndent);
    int visible = firstIndent.length();
    boolean lineHasWord = false;
    for (String word : text.split(" ")) {
      int wordWidth = word.replaceAll("\u001b\\[[0-9;]*m", "").length();
      if (lineHasWord && visible + 1 + wordWidth > width) {
        out.append(line).append('\n');
        line = new StringBuilder(nextIndent);
        visible = nextIndent.length();
        lineHasWord = false;
      }
      if (lineHasWord) {
        line.append(' ');
        visible++;
      }
      line.append(word);
      visible += wordWidth;
      lineHasWord = true;
    }
    out.append(line).append('\n');
  }

  private static String plural(int count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}
