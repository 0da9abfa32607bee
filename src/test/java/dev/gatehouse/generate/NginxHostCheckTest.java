package dev.gatehouse.generate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Host pattern of the generated nginx {@code if} lines, read by Java's regex engine, which agrees with
 * PCRE on this subset (groups, alternation, classes, {@code ?}, {@code +}); nginx itself runs it in
 * GenerateNginxForeignHostIT.
 */
class NginxHostCheckTest {

  private static boolean accepts(List<String> names, String host) {
    return Pattern.compile(NginxHostCheck.pattern(names), Pattern.CASE_INSENSITIVE).matcher(host).matches();
  }

  @Test
  void acceptsTheNamesWithAnyPortCaseAndTrailingDot() {
    List<String> names = List.of("app.test", "www.app.test");
    assertThat(List.of("app.test", "www.app.test", "APP.Test:8443", "www.app.test.", "www.app.test.:80"))
        .allMatch(host -> accepts(names, host));
  }

  @Test
  void refusesHostsThatOnlyContainOrExtendAName() {
    List<String> names = List.of("app.test", "www.app.test");
    assertThat(List.of("evil.example", "app.test@evil.example", "app.test.evil.example", "evil.app.test", "appxtest",
        "", "app.test:", "app.test:80/x", "app.test:80:80")).noneMatch(host -> accepts(names, host));
  }

  @Test
  void wildcardStandsForExactlyOneLabel() {
    List<String> names = List.of("*.example.net", "example.net");
    assertThat(accepts(names, "a-1.example.net:8443")).isTrue();
    assertThat(accepts(names, "example.net")).isTrue();
    assertThat(accepts(names, "a.b.example.net")).as("RFC 6125 §6.4.3: not two labels").isFalse();
    assertThat(accepts(names, "evil@a.example.net")).isFalse();
    assertThat(accepts(names, ".example.net")).isFalse();
  }

  @Test
  void addressesAreLiteralAndIpv6IsBracketed() {
    assertThat(accepts(List.of("127.0.0.1"), "127.0.0.1:8080")).isTrue();
    assertThat(accepts(List.of("127.0.0.1"), "127.0.0.11")).isFalse();
    assertThat(accepts(List.of("127.0.0.1"), "127x0.0.1")).isFalse();
    assertThat(accepts(List.of("::1"), "[::1]:8443")).isTrue();
    assertThat(accepts(List.of("::1"), "::1")).isFalse();
  }
}
