package dev.gatehouse.audit.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses one HTTP/1.1 response (RFC 9112) from a stream, within {@link ProbeLimits}. */
final class ResponseReader {
  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3})(?: (.*))?");

  private ResponseReader() {}

  static ProbeResponse read(InputStream in, ProbeRequest request, ProbeLimits limits) throws IOException {
    int[] headerBudget = {limits.maxHeaderBytes()};
    while (true) {
      String statusLine = AsciiLines.readLine(in, headerBudget[0]);
      headerBudget[0] -= statusLine.length();
      Matcher m = STATUS_LINE.matcher(statusLine);
      if (!m.matches()) {
        throw new ProtocolException("not an HTTP/1.1 status line: '" + abbreviate(statusLine) + "'");
      }
      int status = Integer.parseInt(m.group(1));
      String reason = m.group(2) == null ? "" : m.group(2);
      HeaderFields headers = readHeaders(in, headerBudget);
      // 1xx responses other than 101 are interim: the final response follows (RFC 9110 §15.2).
      if (status >= 100 && status < 200 && status != 101) {
        continue;
      }
      BodyRead body = readBody(in, request, status, headers, limits.maxBodyBytes());
      return new ProbeResponse(request, status, reason, headers, body.bytes(), body.truncated());
    }
  }

  private static HeaderFields readHeaders(InputStream in, int[] budget) throws IOException {
    List<HeaderFields.Field> fields = new ArrayList<>();
    while (true) {
      if (budget[0] <= 0) {
        throw new ProtocolException("response header section too large");
      }
      String line = AsciiLines.readLine(in, budget[0]);
      budget[0] -= line.length() + 2;
      if (line.isEmpty()) {
        return new HeaderFields(fields);
      }
      if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && !fields.isEmpty()) {
        // obs-fold (RFC 9112 §5.2): replace the fold with a space and keep the value.
        HeaderFields.Field last = fields.remove(fields.size() - 1);
        fields.add(new HeaderFields.Field(last.name(), last.value() + " " + line.trim()));
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new ProtocolException("malformed header field: '" + abbreviate(line) + "'");
      }
      fields.add(new HeaderFields.Field(line.substring(0, colon).trim(), line.substring(colon + 1).trim()));
    }
  }

  private record BodyRead(byte[] bytes, boolean truncated) {}

  private static BodyRead readBody(InputStream in, ProbeRequest request, int status, HeaderFields headers,
      int maxBytes) throws IOException {
    // RFC 9110 §6.4.1: no content for HEAD, 1xx, 204 and 304.
    if (request.method().equals("HEAD") || status < 200 || status == 204 || status == 304) {
      return new BodyRead(new byte[0], false);
    }
    if (headers.hasToken("Transfer-Encoding", "chunked")) {
      return readUpTo(new ChunkedBodyInputStream(in), Long.MAX_VALUE, maxBytes);
    }
    List<String> lengths = headers.all("Content-Length");
    if (!lengths.isEmpty()) {
      long length = parseContentLength(lengths);
      return readUpTo(in, length, maxBytes);
    }
    return readUpTo(in, Long.MAX_VALUE, maxBytes);
  }

  private static long parseContentLength(List<String> values) throws ProtocolException {
    long length = -1;
    for (String value : values) {
      for (String part : value.split(",")) {
        try {
          long parsed = Long.parseLong(part.trim());
          // RFC 9112 §6.3: differing Content-Length values make the message invalid.
          if (parsed < 0 || (length >= 0 && parsed != length)) {
            throw new ProtocolException("invalid Content-Length: " + values);
          }
          length = parsed;
        } catch (NumberFormatException e) {
          throw new ProtocolException("invalid Content-Length: " + values);
        }
      }
    }
    return length;
  }

  private static BodyRead readUpTo(InputStream in, long declared, int maxBytes) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    long wanted = Math.min(declared, (long) maxBytes);
    while (out.size() < wanted) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, wanted - out.size()));
      if (n < 0) {
        if (declared != Long.MAX_VALUE) {
          throw new ProtocolException("connection closed after " + out.size() + " of " + declared + " body bytes");
        }
        return new BodyRead(out.toByteArray(), false);
      }
      out.write(buffer, 0, n);
    }
    boolean truncated = declared > maxBytes || (declared == Long.MAX_VALUE && in.read() >= 0);
    return new BodyRead(out.toByteArray(), truncated);
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "…";
  }
}
