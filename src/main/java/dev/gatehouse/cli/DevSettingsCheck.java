package dev.gatehouse.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.generate.DjangoSettingsGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What {@code gatehouse dev} tells a developer at start: whether the project's settings work behind it.
 * The answers come from Django itself, not from reading settings.py: {@code manage.py shell} builds the
 * request the browser will send through Gatehouse (Host {@code localhost:PORT}, Origin and Referer {@code
 * https://localhost:PORT}, {@code X-Forwarded-Proto: https}) and hands it to {@code request.is_secure()},
 * {@code request.get_host()} and the project's own {@code CsrfViewMiddleware} with a valid token, so only
 * the origin and host checks can refuse it. That covers every way a project can set these values
 * (environment, split settings, Django's DEBUG defaults for localhost) and Django 3.2 to 5.x alike.
 */
final class DevSettingsCheck {

  /** manage.py imports the whole project; a large one on a slow disk takes seconds. */
  static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static final String MARKER = "GATEHOUSE_DEV_CHECK ";
  private static final String FIX = "  FIX ";

  /** Run by {@code manage.py shell -c}; prints one marker line of JSON. {@code %d}: the HTTPS port. */
  private static final String PROBE =
      """
      import json
      from django.conf import settings
      from django.core.exceptions import DisallowedHost
      from django.middleware.csrf import CsrfViewMiddleware
      from django.test import RequestFactory
      from django.utils.crypto import get_random_string

      class Probe(CsrfViewMiddleware):
          def _reject(self, request, reason):
              return reason

      def post(host):
          factory = RequestFactory()
          secret = get_random_string(32)
          factory.cookies[settings.CSRF_COOKIE_NAME] = secret
          origin = "https://" + host
          return factory.post("/admin/login/", {"csrfmiddlewaretoken": secret}, HTTP_HOST=host,
                              HTTP_ORIGIN=origin, HTTP_REFERER=origin + "/admin/login/",
                              HTTP_X_FORWARDED_PROTO="https")

      def allowed(host):
          try:
              post(host).get_host()
              return True
          except DisallowedHost:
              return False

      def csrf(host):
          if settings.CSRF_USE_SESSIONS:
              return None
          request = post(host)
          middleware = Probe(lambda r: None)
          middleware.process_request(request)
          try:
              return middleware.process_view(request, lambda r: None, (), {}) or ""
          except DisallowedHost as e:
              return str(e)

      host = "localhost:%1$d"
      print("%2$s" + json.dumps({
          "secure": post(host).is_secure(),
          "localhost": allowed(host),
          "subdomains": allowed("app." + host),
          "csrf": csrf(host),
      }))
      """;

  private final int httpsPort;

  DevSettingsCheck(int httpsPort) {
    this.httpsPort = httpsPort;
  }

  /** The block to print: one line per check, the setting to add under each one that fails. */
  List<String> run(Path python, Path projectDir) {
    List<String> lines = new ArrayList<>();
    JsonNode result;
    try {
      result = probe(python, projectDir);
    } catch (IOException e) {
      lines.add("  ?   settings not checked: " + e.getMessage());
      return lines;
    }
    String origin = "https://localhost:" + httpsPort;
    check(lines, result.path("secure").asBoolean(), "Django sees HTTPS", "Django does not see HTTPS",
        DjangoSettingsGenerator.SECURE_PROXY_SSL_HEADER);
    JsonNode csrf = result.path("csrf");
    if (csrf.isNull()) {
      lines.add("  ?   CSRF not checked: with CSRF_USE_SESSIONS the token is in the session");
    } else {
      check(lines, csrf.asText().isEmpty(), "a POST from " + origin + " passes CSRF",
          "a POST from " + origin + " fails CSRF (" + csrf.asText() + ")",
          DjangoSettingsGenerator.devCsrfTrustedOrigins(httpsPort));
    }
    boolean localhost = result.path("localhost").asBoolean();
    boolean subdomains = result.path("subdomains").asBoolean();
    check(lines, localhost && subdomains, "ALLOWED_HOSTS takes localhost and *.localhost",
        "ALLOWED_HOSTS refuses " + (localhost ? "*.localhost" : "localhost"), DjangoSettingsGenerator.DEV_ALLOWED_HOSTS);
    if (lines.stream().anyMatch(l -> l.startsWith(FIX))) {
      lines.add("  (gatehouse generate django --dev prints all of these)");
    }
    return lines;
  }

  private static void check(List<String> lines, boolean ok, String passed, String failed, String setting) {
    if (ok) {
      lines.add("  ok  " + passed);
    } else {
      lines.add(FIX + failed + "; add to the settings:");
      lines.add("        " + setting);
    }
  }

  private JsonNode probe(Path python, Path projectDir) throws IOException {
    Path output = Files.createTempFile("gatehouse-dev-check", ".log");
    try {
      ProcessBuilder pb =
          new ProcessBuilder(python.toString(), "manage.py", "shell", "-c", PROBE.formatted(httpsPort, MARKER))
              .directory(projectDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile());
      Process process = pb.start();
      process.getOutputStream().close();
      try {
        if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IOException("manage.py shell did not finish within " + TIMEOUT.toSeconds() + " s");
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted", e);
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        if (line.startsWith(MARKER)) {
          return new ObjectMapper().readTree(line.substring(MARKER.length()));
        }
      }
      String trimmed = text.strip();
      throw new IOException("manage.py shell exited with status " + process.exitValue()
          + (trimmed.isEmpty() ? "" : ": " + trimmed.substring(trimmed.lastIndexOf('\n') + 1)));
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
