package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.testing.DjangoVersion;
import dev.gatehouse.testing.ManagedProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The snippet of {@code gatehouse generate django}, imported by the test site's settings under 3.2 and 5.2. */
class GenerateDjangoSettingsIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Loads the settings, runs {@code check --deploy}, prints what a user would look at as JSON. */
  private static final String INSPECT =
      """
      import io, json
      import django
      from django.conf import settings
      from django.core.management import call_command
      from django.core.management.base import SystemCheckError
      django.setup()
      out = io.StringIO()
      try:
          call_command("check", "--deploy", stdout=out, stderr=out)
          errors = False
      except SystemCheckError as e:
          out.write(str(e))
          errors = True
      names = ["ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
               "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD"]
      result = {n: getattr(settings, n) for n in names}
      result["SECURE_PROXY_SSL_HEADER"] = list(settings.SECURE_PROXY_SSL_HEADER)
      result["version"] = django.get_version()
      result["check_errors"] = errors
      result["check"] = out.getvalue()
      print(json.dumps(result))
      """;

  @ParameterizedTest
  @EnumSource(DjangoVersion.class)
  void snippetGivesAProxyReadyDeploymentOnEveryDjango(DjangoVersion version, @TempDir Path work) throws Exception {
    GeneratedDjangoSettings settings =
        GeneratedDjangoSettings.write(work, "app.test", "www.app.test", "--https-port", "8443");

    JsonNode s = inspect(version, settings, work, Map.of());

    assertThat(s.get("version").asText()).startsWith(version.majorMinor());
    assertThat(s.get("check_errors").asBoolean()).as(s.get("check").asText()).isFalse();
    assertThat(s.get("check").asText()).doesNotContain("security.W004", "security.W008", "security.W012", "security.W016");
    assertThat(s.get("SECURE_PROXY_SSL_HEADER")).containsExactly(JSON.valueToTree("HTTP_X_FORWARDED_PROTO"), JSON.valueToTree("https"));
    assertThat(strings(s.get("ALLOWED_HOSTS"))).containsExactly("app.test", "www.app.test");
    if (version == DjangoVersion.DEBIAN_32) {
      assertThat(strings(s.get("CSRF_TRUSTED_ORIGINS"))).containsExactly("app.test:8443", "www.app.test:8443");
    } else {
      assertThat(strings(s.get("CSRF_TRUSTED_ORIGINS"))).containsExactly("https://app.test:8443", "https://www.app.test:8443");
    }
    assertThat(s.get("SESSION_COOKIE_SECURE").asBoolean()).isTrue();
    assertThat(s.get("CSRF_COOKIE_SECURE").asBoolean()).isTrue();
    assertThat(s.get("SECURE_SSL_REDIRECT").asBoolean()).isTrue();
    assertThat(s.get("SECURE_HSTS_SECONDS").asInt()).isEqualTo(300);
    assertThat(s.get("SECURE_HSTS_INCLUDE_SUBDOMAINS").asBoolean()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(DjangoVersion.class)
  void environmentVariablesOverrideEachValue(DjangoVersion version, @TempDir Path work) throws Exception {
    GeneratedDjangoSettings settings = GeneratedDjangoSettings.write(work, "app.test");

    JsonNode s = inspect(version, settings, work, Map.of(
        "DJANGO_SECURE_HSTS_SECONDS", "86400", "DJANGO_SECURE_SSL_REDIRECT", "0",
        "DJANGO_ALLOWED_HOSTS", "staging.app.test, app.test", "DJANGO_SESSION_COOKIE_SECURE", "false"));

    assertThat(s.get("SECURE_HSTS_SECONDS").asInt()).isEqualTo(86400);
    assertThat(s.get("SECURE_SSL_REDIRECT").asBoolean()).isFalse();
    assertThat(s.get("SESSION_COOKIE_SECURE").asBoolean()).isFalse();
    assertThat(strings(s.get("ALLOWED_HOSTS"))).containsExactly("staging.app.test", "app.test");
    assertThat(s.get("check").asText()).contains("security.W008", "security.W012");
  }

  private static JsonNode inspect(DjangoVersion version, GeneratedDjangoSettings settings, Path work, Map<String, String> extra)
      throws Exception {
    Map<String, String> env = new HashMap<>(settings.env());
    env.put("DJANGO_DB", work.resolve("db.sqlite3").toString());
    env.putAll(extra);
    ManagedProcess.Result r =
        ManagedProcess.run(List.of(version.python().toString(), "-c", INSPECT), env, work, Duration.ofSeconds(60));
    String out = r.orThrow("loading the generated settings with Django " + version.majorMinor());
    return JSON.readTree(out.lines().reduce((a, b) -> b).orElseThrow());
  }

  private static List<String> strings(JsonNode array) {
    return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
  }
}
