package dev.gatehouse.audit.report;

import dev.gatehouse.audit.AuditReport;
import dev.gatehouse.audit.CheckResult;
import dev.gatehouse.audit.Finding;
import dev.gatehouse.audit.Severity;
import java.io.StringWriter;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The report as JUnit XML ({@code --format junit}), the format CI systems (GitHub Actions reporters, GitLab,
 * Jenkins) show test by test: one {@code <testcase>} per check, named by its id; a {@code <failure>} when it has
 * findings at or above {@code --fail-on}; {@code <skipped>} when it did not apply; every finding in
 * {@code <system-out>}.
 */
public final class JunitReportRenderer implements ReportRenderer {
  @Override
  public String render(AuditReport report, Severity failOn) {
    StringWriter text = new StringWriter();
    try {
      XMLStreamWriter xml = XMLOutputFactory.newFactory().createXMLStreamWriter(text);
      long failures = report.results().stream()
          .filter(r -> r.skippedBecause().isEmpty() && r.worst().reaches(failOn)).count();
      long skipped = report.results().stream().filter(r -> r.skippedBecause().isPresent()).count();
      String tests = Integer.toString(report.results().size());
      String seconds = String.format(Locale.ROOT, "%.3f", report.duration().toMillis() / 1000.0);
      xml.writeStartDocument("UTF-8", "1.0");
      xml.writeCharacters("\n");
      xml.writeStartElement("testsuites");
      xml.writeAttribute("name", "gatehouse audit");
      xml.writeAttribute("tests", tests);
      xml.writeAttribute("failures", Long.toString(failures));
      xml.writeAttribute("errors", "0");
      xml.writeAttribute("skipped", Long.toString(skipped));
      xml.writeAttribute("time", seconds);
      xml.writeCharacters("\n  ");
      xml.writeStartElement("testsuite");
      xml.writeAttribute("name", "gatehouse audit " + report.target());
      xml.writeAttribute("tests", tests);
      xml.writeAttribute("failures", Long.toString(failures));
      xml.writeAttribute("errors", "0");
      xml.writeAttribute("skipped", Long.toString(skipped));
      xml.writeAttribute("time", seconds);
      xml.writeAttribute("timestamp", report.startedAt().toString());
      for (CheckResult result : report.results()) {
        writeTestcase(xml, result, failOn);
      }
      xml.writeCharacters("\n  ");
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndElement();
      xml.writeCharacters("\n");
      xml.writeEndDocument();
      xml.close();
    } catch (XMLStreamException e) {
      throw new IllegalStateException("writing XML to a string cannot fail", e);
    }
    return text.toString();
  }

  private static void writeTestcase(XMLStreamWriter xml, CheckResult result, Severity failOn)
      throws XMLStreamException {
    xml.writeCharacters("\n    ");
    xml.writeStartElement("testcase");
    xml.writeAttribute("classname", "gatehouse.audit");
    xml.writeAttribute("name", result.checkId() + ": " + result.description());
    xml.writeAttribute("time", String.format(Locale.ROOT, "%.3f", result.elapsed().toMillis() / 1000.0));
    if (result.skippedBecause().isPresent()) {
      xml.writeCharacters("\n      ");
      xml.writeEmptyElement("skipped");
      xml.writeAttribute("message", result.skippedBecause().get());
    } else {
      List<Finding> failing = result.findings().stream().filter(f -> f.severity().reaches(failOn)).toList();
      if (!failing.isEmpty()) {
        xml.writeCharacters("\n      ");
        xml.writeStartElement("failure");
        xml.writeAttribute("type", failing.get(0).severity().label());
        xml.writeAttribute("message", failing.get(0).message());
        xml.writeCharacters(describe(failing));
        xml.writeEndElement();
      }
      if (!result.findings().isEmpty()) {
        xml.writeCharacters("\n      ");
        xml.writeStartElement("system-out");
        xml.writeCharacters(describe(result.findings()));
        xml.writeEndElement();
      }
    }
    xml.writeCharacters("\n    ");
    xml.writeEndElement();
  }

  private static String describe(List<Finding> findings) {
    StringBuilder out = new StringBuilder();
    for (Finding f : findings) {
      out.append(f.severity().name()).append(' ').append(f.url()).append('\n')
          .append("  ").append(f.message()).append('\n');
      if (!f.observed().isEmpty()) {
        out.append("  seen: ").append(f.observed()).append('\n');
      }
      if (!f.fix().isEmpty()) {
        out.append("  fix: ").append(f.fix()).append('\n');
      }
    }
    return out.toString();
  }
}
