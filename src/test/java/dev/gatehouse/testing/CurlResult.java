package dev.gatehouse.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What curl saw: exit code (0 = transfer succeeded), the last response's status, HTTP version
 * ("1.1", "2"; "0" when there was no response), headers and body, and curl's error text.
 */
public record CurlResult(
    List<String> command, int exitCode, int status, String httpVersion, Headers headers, byte[] body,
    String stderr) {

  static CurlResult parse(
      List<String> command, int exitCode, String writeOut, byte[] headerBytes, byte[] body, String stderr) {
    String[] versionAndStatus = writeOut.trim().split(" ");
    String version = versionAndStatus.length > 0 ? versionAndStatus[0] : "0";
    int status = versionAndStatus.length > 1 ? Integer.parseInt(versionAndStatus[1]) : 0;
    return new CurlResult(List.copyOf(command), exitCode, status, version,
        Headers.parse(lastHeaderBlock(new String(headerBytes, StandardCharsets.ISO_8859_1))), body, stderr);
  }

  /** curl -D writes one block per response (100 Continue, each redirect); the last is the answer. */
  private static List<String> lastHeaderBlock(String dump) {
    List<String> block = new ArrayList<>();
    for (String line : dump.split("\r?\n")) {
      if (line.startsWith("HTTP/")) {
        block.clear();
      } else if (!line.isEmpty()) {
        block.add(line);
      }
    }
    return block;
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The first value of a response header, or {@code null}. */
  public String header(String name) {
    return headers.value(name);
  }

  /** True when curl completed the transfer (whatever the HTTP status). */
  public boolean transferred() {
    return exitCode == 0;
  }

  @Override
  public String toString() {
    return "curl exit " + exitCode + ", HTTP/" + httpVersion + " " + status + "\n" + headers
        + (stderr.isEmpty() ? "" : "stderr: " + stderr);
  }
}
