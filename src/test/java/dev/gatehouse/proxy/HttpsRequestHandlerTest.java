package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.Limits;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTPS request handler behind an HTTP/1.1 codec, for everything that does not need an upstream. */
class HttpsRequestHandlerTest {

  private static final String CSS = "body { color: red; }\n";

  @TempDir Path dir;
  private Path staticRoot;
  private ServerRuntime runtime;
  private ClientChannel ch;

  @BeforeEach
  void serve() throws IOException, ConfigException {
    staticRoot = Files.createDirectories(dir.resolve("staticfiles"));
    Files.writeString(staticRoot.resolve("app.3f2a9c1b7d4e.css"), CSS);
    Files.writeString(staticRoot.resolve("robots.txt"), "User-agent: *\n");
    Files.writeString(dir.resolve("secret.txt"), "secret");
    Files.createSymbolicLink(staticRoot.resolve("escape.txt"), dir.resolve("secret.txt"));
    runtime = TestConfigs.staticSiteRuntime(dir, staticRoot);
    ch = ClientChannel.pulling(
        new HttpServerCodec(HttpChannelInitializer.decoderConfig(runtime.config().limits())),
        new OneMessagePerRead(),
        new HttpsRequestHandler(runtime));
  }

  private static String body(FullHttpResponse r) {
    return r.content().toString(StandardCharsets.UTF_8);
  }

  @Test
  void staticFileIsServedWithTypeValidatorsAndImmutableCaching() {
    FullHttpResponse r = ch.exchange("GET /static/app.3f2a9c1b7d4e.css HTTP/1.1\nHost: app.test:8443\n\n");

    assertThat(r.status().code()).isEqualTo(200);
    assertThat(body(r)).isEqualTo(CSS);
    assertThat(r.headers().get("Content-Type")).isEqualTo("text/css; charset=utf-8");
    assertThat(r.headers().get("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
    assertThat(r.headers().get("ETag")).startsWith("\"");
    assertThat(r.headers().get("Last-Modified")).endsWith("GMT");
    assertThat(r.headers().get("Strict-Transport-Security")).isEqualTo("max-age=600");
  }

  @Test
  void unhashedNameGetsAShortMaxAge() {
    FullHttpResponse r = ch.exchange("GET /static/robots.txt HTTP/1.1\nHost: app.test\n\n");

    assertThat(r.headers().get("Cache-Control")).isEqualTo("public, max-age=60");
    assertThat(r.headers().get("Content-Type")).isEqualTo("text/plain; charset=utf-8");
  }

  @Test
  void revalidationWithTheEtagGets304WithoutBody() {
    String etag = ch.exchange("GET /static/robots.txt HTTP/1.1\nHost: app.test\n\n").headers().get("ETag");

    FullHttpResponse r = ch.exchange("GET /static/robots.txt HTTP/1.1\nHost: app.test\nIf-None-Match: " + etag + "\n\n");

    assertThat(r.status().code()).isEqualTo(304);
    assertThat(r.content().readableBytes()).isZero();
    assertThat(r.headers().get("ETag")).isEqualTo(etag);
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void rangeGives206AndOnlyThoseBytes() {
    FullHttpResponse r = ch.exchange("GET /static/app.3f2a9c1b7d4e.css HTTP/1.1\nHost: app.test\nRange: bytes=5-9\n\n");

    assertThat(r.status().code()).isEqualTo(206);
    assertThat(body(r)).isEqualTo(CSS.substring(5, 10));
    assertThat(r.headers().get("Content-Range")).isEqualTo("bytes 5-9/" + CSS.length());
  }

  @Test
  void unsatisfiableRangeGives416() {
    FullHttpResponse r = ch.exchange("GET /static/robots.txt HTTP/1.1\nHost: app.test\nRange: bytes=900-\n\n");

    assertThat(r.status().code()).isEqualTo(416);
  }

  @Test
  void headGetsHeadersOnly() {
    String raw = ch.sendRaw("HEAD /static/robots.txt HTTP/1.1\nHost: app.test\n\n");

    assertThat(raw).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase("content-length: 14\r\n").endsWith("\r\n\r\n");
    assertThat(raw).doesNotContain("User-agent");
  }

  @Test
  void everyTraversalProbeIsRefused() {
    for (String probe : StaticPathsTest.TRAVERSAL_PROBES) {
      String path = "/static/" + probe.replace("\\", "%5c");
      if (probe.contains("\\")) {
        path = "/static/" + probe;
      }
      FullHttpResponse r = ch.exchange("GET " + path + " HTTP/1.1\nHost: app.test\n\n");
      assertThat(r.status().code()).as(path).isIn(400, 404);
      assertThat(body(r)).as(path).doesNotContain("secret");
    }
    FullHttpResponse symlink = ch.exchange("GET /static/escape.txt HTTP/1.1\nHost: app.test\n\n");
    assertThat(symlink.status().code()).isEqualTo(404);
  }

  @Test
  void staticFilesCannotBeWritten() {
    FullHttpResponse r =
        ch.exchange("POST /static/robots.txt HTTP/1.1\nHost: app.test\nContent-Length: 2\n\nhi");

    assertThat(r.status().code()).isEqualTo(405);
    assertThat(r.headers().get("Allow")).isEqualTo("GET, HEAD");
  }

  @Test
  void unknownHostGets421AndNoLocation() {
    FullHttpResponse r = ch.exchange("GET / HTTP/1.1\nHost: evil.example\n\n");

    assertThat(r.status().code()).isEqualTo(421);
    assertThat(r.headers().contains("Location")).isFalse();
    assertThat(r.headers().contains("Strict-Transport-Security")).isFalse();
  }

  @Test
  void userinfoHostIsRefused() {
    assertThat(ch.exchange("GET / HTTP/1.1\nHost: app.test@evil.example\n\n").status().code()).isEqualTo(400);
  }

  @Test
  void siteWithoutUpstreamShowsHowToConnectAnApp() {
    FullHttpResponse r = ch.exchange("GET /anything HTTP/1.1\nHost: app.test\n\n");

    assertThat(r.status().code()).isEqualTo(200);
    assertThat(body(r)).contains("Gatehouse is running", "--upstream unix:/run/gunicorn.sock");
  }

  @Test
  void declaredBodyOverTheLimitGets413AndTheConnectionClosesAfterLingering() {
    FullHttpResponse r = ch.exchange("POST /upload/ HTTP/1.1\nHost: app.test\nContent-Length: 1001\n\n");

    assertThat(r.status().code()).isEqualTo(413);
    assertThat(r.headers().get("Connection")).isEqualTo("close");
    assertThat(ch.send("x".repeat(1001))).as("the unread body is dropped, not answered").isEmpty();
    assertThat(ch.isOpen()).isTrue();
    ch.advanceTimeBy(HttpsRequestHandler.LINGER_TIMEOUT.toMillis() + 1, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void keepAliveConnectionClosesAfterTheIdleTimeoutCountedFromItsLastResponse() {
    long timeout = Limits.DEFAULT_KEEP_ALIVE_TIMEOUT.toMillis();
    assertThat(ch.exchange("GET /static/robots.txt HTTP/1.1\nHost: app.test\n\n").status().code()).isEqualTo(200);
    ch.advanceTimeBy(timeout - 1000, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).isTrue();

    assertThat(ch.exchange("GET /static/robots.txt HTTP/1.1\nHost: app.test\n\n").status().code()).isEqualTo(200);
    ch.advanceTimeBy(timeout - 1000, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).as("idle for less than the timeout since the second response").isTrue();

    ch.advanceTimeBy(1001, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void anUploadBeingBufferedOutlastsTheKeepAliveTimeoutButNotAPauseOfTheBodyIdleTimeout() {
    ClientChannel buffered = ClientChannel.pulling(
        new HttpServerCodec(HttpChannelInitializer.decoderConfig(Limits.DEFAULTS)), new OneMessagePerRead(),
        new RequestBodyBuffer(runtime), new HttpsRequestHandler(runtime));
    long pause = Limits.DEFAULT_BODY_IDLE_TIMEOUT.toMillis() - 1000;
    assertThat(buffered.exchange("GET /static/robots.txt HTTP/1.1\nHost: app.test\n\n").status().code()).isEqualTo(200);

    String upload = "POST /upload/ HTTP/1.1\nHost: app.test\nContent-Length: 30\n\n";
    assertThat(buffered.send(upload + "x".repeat(10))).isEmpty();
    for (int i = 0; i < 2; i++) {
      buffered.advanceTimeBy(pause, TimeUnit.MILLISECONDS);
      buffered.runScheduledPendingTasks();
      assertThat(runtime.inFlight()).as("the upload being buffered").isEqualTo(1);
      List<FullHttpResponse> answered = buffered.send("x".repeat(10));
      assertThat(answered).as("answered once the body is all in").hasSize(i);
    }
    assertThat(runtime.inFlight()).isZero();

    buffered.send(upload + "x".repeat(10));
    buffered.advanceTimeBy(Limits.DEFAULT_BODY_IDLE_TIMEOUT.toMillis() + 1, TimeUnit.MILLISECONDS);
    buffered.runScheduledPendingTasks();
    assertThat(buffered.isOpen()).as("closed by the body idle timeout").isFalse();
    assertThat(runtime.inFlight()).isZero();
  }

  @Test
  void clientAskingToCloseGetsItsConnectionClosed() {
    FullHttpResponse r = ch.exchange("GET /static/robots.txt HTTP/1.1\nHost: app.test\nConnection: close\n\n");

    assertThat(r.headers().get("Connection")).isEqualTo("close");
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void transferCodingsOtherThanChunkedAreRefused() {
    FullHttpResponse r =
        ch.exchange("POST /x HTTP/1.1\nHost: app.test\nTransfer-Encoding: gzip, chunked\n\n0\n\n");

    assertThat(r.status().code()).isEqualTo(400);
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() {
    List<FullHttpResponse> responses =
        ch.send("GET /static/robots.txt HTTP/1.1\nHost: app.test\n\nGET /missing HTTP/1.1\nHost: evil.example\n\n"
            + "GET /static/app.3f2a9c1b7d4e.css HTTP/1.1\nHost: app.test\n\n");

    assertThat(responses).extracting(r -> r.status().code()).containsExactly(200, 421, 200);
    assertThat(body(responses.get(2))).isEqualTo(CSS);
  }

  @Test
  void bodyOfARefusedRequestIsReadAndDroppedSoTheConnectionStaysUsable() {
    List<FullHttpResponse> responses =
        ch.send("POST /x HTTP/1.1\nHost: evil.example\nContent-Length: 5\n\nhello"
            + "GET /static/robots.txt HTTP/1.1\nHost: app.test\n\n");

    assertThat(responses).extracting(r -> r.status().code()).containsExactly(421, 200);
  }
}
