package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.config.AccessLog;
import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.HstsPolicy;
import dev.gatehouse.config.Limits;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.config.SiteConfig;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpsRedirectHandlerTest {

  @TempDir Path state;
  private final ChallengeResponses challenges = new ChallengeResponses();

  private ClientChannel port80(int httpsPort, int redirectStatus) throws IOException {
    List<SiteConfig> sites =
        List.of(
            TestConfigs.site(List.of("app.test", "www.app.test"), Optional.empty(), List.of()),
            TestConfigs.site(List.of("*.apps.test"), Optional.empty(), List.of()));
    ServeConfig config =
        new ServeConfig(
            sites, "127.0.0.1", 8080, httpsPort, state, HstsPolicy.DEFAULT, redirectStatus, Limits.DEFAULTS,
            List.of(), new AccessLog.Off(), AcmeSettings.DEFAULT);
    ServerRuntime runtime =
        new ServerRuntime(
            config, Transport.detect(), challenges, new HstsRamp(HstsRampState.inMemory(), Clock.systemUTC()),
            AccessLogWriter.open(new AccessLog.Off()), Runnable::run, Optional.empty());
    return new ClientChannel(new HttpServerCodec(), new HttpsRedirectHandler(runtime));
  }

  @Test
  void redirectKeepsNonDefaultHttpsPortPathAndQueryExactly() throws IOException {
    FullHttpResponse r =
        port80(8443, 0).exchange("GET /a/b%20c/../d?x=1&y=%2F&z=%zz HTTP/1.1\nHost: app.test:8080\n\n");

    assertThat(r.status().code()).isEqualTo(301);
    assertThat(r.headers().get("Location")).isEqualTo("https://app.test:8443/a/b%20c/../d?x=1&y=%2F&z=%zz");
  }

  @Test
  void redirectToPort443HasNoPort() throws IOException {
    FullHttpResponse r = port80(443, 0).exchange("GET / HTTP/1.1\nHost: WWW.App.Test.\n\n");

    assertThat(r.headers().get("Location")).isEqualTo("https://www.app.test/");
  }

  @Test
  void postIsRedirectedWith308SoTheMethodIsKept() throws IOException {
    FullHttpResponse r =
        port80(8443, 0).exchange("POST /form/ HTTP/1.1\nHost: app.test\nContent-Length: 3\n\nabc");

    assertThat(r.status().code()).isEqualTo(308);
    assertThat(r.headers().get("Location")).isEqualTo("https://app.test:8443/form/");
  }

  @Test
  void configuredRedirectStatusIsUsedForEveryMethod() throws IOException {
    FullHttpResponse r = port80(8443, 308).exchange("GET /x HTTP/1.1\nHost: app.test\n\n");

    assertThat(r.status().code()).isEqualTo(308);
  }

  @Test
  void wildcardSiteIsRedirected() throws IOException {
    FullHttpResponse r = port80(8443, 0).exchange("GET /x HTTP/1.1\nHost: one.apps.test\n\n");

    assertThat(r.headers().get("Location")).isEqualTo("https://one.apps.test:8443/x");
  }

  @Test
  void unknownHostGets421WithoutLocation() throws IOException {
    FullHttpResponse r = port80(8443, 0).exchange("GET /x HTTP/1.1\nHost: evil.example\n\n");

    assertThat(r.status().code()).isEqualTo(421);
    assertThat(r.headers().contains("Location")).isFalse();
    assertThat(r.content().toString(StandardCharsets.UTF_8)).doesNotContain("evil.example");
  }

  @Test
  void hostsThatCouldSteerTheRedirectAreRefusedWithoutLocation() throws IOException {
    for (String host :
        List.of("app.test@evil.example", "evil.example/app.test", "app.test:8080@evil.example", "app.test\\evil",
            "app.test:notaport", "app.test:99999", "[::1", "%61pp.test", "")) {
      FullHttpResponse r = port80(8443, 0).exchange("GET /x HTTP/1.1\nHost: " + host + "\n\n");

      assertThat(r.status().code()).as(host).isEqualTo(400);
      assertThat(r.headers().contains("Location")).as(host).isFalse();
    }
  }

  @Test
  void missingOrRepeatedHostIsRefused() throws IOException {
    assertThat(port80(8443, 0).exchange("GET /x HTTP/1.1\n\n").status().code()).isEqualTo(400);
    FullHttpResponse twice = port80(8443, 0).exchange("GET /x HTTP/1.1\nHost: app.test\nHost: evil.example\n\n");
    assertThat(twice.status().code()).isEqualTo(400);
    assertThat(twice.headers().contains("Location")).isFalse();
  }

  @Test
  void absoluteFormTargetDecidesTheHost() throws IOException {
    FullHttpResponse r =
        port80(8443, 0).exchange("GET http://app.test/x?y=1 HTTP/1.1\nHost: evil.example\n\n");

    assertThat(r.headers().get("Location")).isEqualTo("https://app.test:8443/x?y=1");
  }

  @Test
  void absoluteFormWithUserinfoIsRefused() throws IOException {
    FullHttpResponse r = port80(8443, 0).exchange("GET http://app.test@evil.example/ HTTP/1.1\nHost: app.test\n\n");

    assertThat(r.status().code()).isEqualTo(400);
    assertThat(r.headers().contains("Location")).isFalse();
  }

  @Test
  void acmeChallengeIsAnsweredFromTheStoreAndNotRedirected() throws IOException {
    challenges.putHttp01("tok-EN_1", "tok-EN_1.thumbprint");
    ClientChannel ch = port80(8443, 0);

    FullHttpResponse known = ch.exchange("GET /.well-known/acme-challenge/tok-EN_1 HTTP/1.1\nHost: other.example\n\n");
    FullHttpResponse unknown = ch.exchange("GET /.well-known/acme-challenge/nope HTTP/1.1\nHost: app.test\n\n");

    assertThat(known.status().code()).isEqualTo(200);
    assertThat(known.headers().get("Content-Type")).isEqualTo("text/plain");
    assertThat(known.content().toString(StandardCharsets.US_ASCII)).isEqualTo("tok-EN_1.thumbprint");
    assertThat(unknown.status().code()).isEqualTo(404);
    assertThat(unknown.headers().contains("Location")).isFalse();
  }

  @Test
  void keepAliveServesSeveralRequestsOnOneConnection() throws IOException {
    ClientChannel ch = port80(8443, 0);

    List<FullHttpResponse> responses =
        ch.send("GET /1 HTTP/1.1\nHost: app.test\n\nGET /2 HTTP/1.1\nHost: app.test\n\n");

    assertThat(responses).extracting(r -> r.headers().get("Location"))
        .containsExactly("https://app.test:8443/1", "https://app.test:8443/2");
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void malformedRequestGets400AndTheConnectionCloses() throws IOException {
    ClientChannel ch = port80(8443, 0);

    FullHttpResponse r = ch.exchange("GET /x HTTP/1.1\nHost: app.test\nBad Header\n\n");

    assertThat(r.status().code()).isEqualTo(400);
    assertThat(ch.isOpen()).isFalse();
  }
}
