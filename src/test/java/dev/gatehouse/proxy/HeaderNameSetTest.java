package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.AsciiString;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderNameSetTest {

  private final HeaderNameSet set = HeaderNameSet.of(List.of("connection", "x-forwarded-for", "te"));

  @Test
  void matchesNamesInAnyCaseAsStringOrAsciiString() {
    assertThat(set.contains("Connection")).isTrue();
    assertThat(set.contains("X-FORWARDED-FOR")).isTrue();
    assertThat(set.contains(AsciiString.of("tE"))).isTrue();
  }

  @Test
  void doesNotMatchPrefixesExtensionsOrOtherNames() {
    assertThat(set.contains("t")).isFalse();
    assertThat(set.contains("tea")).isFalse();
    assertThat(set.contains("x-forwarded-fo")).isFalse();
    assertThat(set.contains("x-forwarded-host")).isFalse();
    assertThat(set.contains("")).isFalse();
  }
}
