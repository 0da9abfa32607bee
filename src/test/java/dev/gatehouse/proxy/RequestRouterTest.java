package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.StaticMount;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestRouterTest {

  private static final StaticMount STATIC = new StaticMount("/static/", Path.of("/srv/static"));
  private static final StaticMount ADMIN = new StaticMount("/static/admin/", Path.of("/srv/admin"));
  private static final StaticMount MEDIA = new StaticMount("/media/", Path.of("/srv/media"));

  @Test
  void theLongestMatchingPrefixWinsWhateverTheOrder() {
    assertThat(RequestRouter.longestMount(List.of(STATIC, ADMIN, MEDIA), "/static/admin/app.css")).contains(ADMIN);
    assertThat(RequestRouter.longestMount(List.of(ADMIN, STATIC, MEDIA), "/static/admin/app.css")).contains(ADMIN);
    assertThat(RequestRouter.longestMount(List.of(ADMIN, STATIC, MEDIA), "/static/app.css")).contains(STATIC);
    assertThat(RequestRouter.longestMount(List.of(STATIC, ADMIN, MEDIA), "/media/a.png")).contains(MEDIA);
  }

  @Test
  void noMountMatchesOtherPaths() {
    assertThat(RequestRouter.longestMount(List.of(STATIC, ADMIN), "/staticfile")).isEmpty();
    assertThat(RequestRouter.longestMount(List.of(), "/static/app.css")).isEmpty();
  }
}
