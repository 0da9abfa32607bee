package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StaticFilesTest {

  @TempDir Path root;
  private Path css;
  private static final Instant MODIFIED = Instant.parse("2025-03-01T10:00:00Z");

  @BeforeEach
  void files() throws IOException {
    css = Files.writeString(root.resolve("app.3f2a9c1b7d4e.css"), "body { color: red; }\n");
    Files.setLastModifiedTime(css, FileTime.from(MODIFIED));
    Files.write(root.resolve("app.3f2a9c1b7d4e.css.gz"), new byte[] {0x1f, (byte) 0x8b, 8});
    Files.write(root.resolve("app.3f2a9c1b7d4e.css.br"), new byte[] {1, 2});
  }

  private StaticFiles.Representation select(String acceptEncoding, boolean range) throws IOException {
    return StaticFiles.select(root, css.toRealPath(), Optional.ofNullable(acceptEncoding), range);
  }

  @Test
  void hashedNamesAreImmutableOthersShortLived() {
    assertThat(StaticFiles.isHashedName("app.3f2a9c1b7d4e.css")).isTrue();
    assertThat(StaticFiles.isHashedName("admin.3f2a9c1b7d4e.min.js")).isTrue();
    assertThat(StaticFiles.isHashedName("app.css")).isFalse();
    assertThat(StaticFiles.isHashedName("3f2a9c1b7d4e.css")).isFalse();
    assertThat(StaticFiles.isHashedName("app.3F2A9C1B7D4E.css")).isFalse();
    assertThat(StaticFiles.isHashedName("app.3f2a9c1b7d4.css")).isFalse();
  }

  @Test
  void brotliIsPreferredThenGzipThenTheFile() throws IOException {
    assertThat(select("gzip, deflate, br", false).contentEncoding()).contains("br");
    assertThat(select("gzip", false).contentEncoding()).contains("gzip");
    assertThat(select("br;q=0, gzip;q=0.5", false).contentEncoding()).contains("gzip");
    assertThat(select("identity", false).contentEncoding()).isEmpty();
    assertThat(select(null, false).contentEncoding()).isEmpty();
    assertThat(select("*", false).contentEncoding()).contains("br");
  }

  @Test
  void acceptedCodingsAreWhatSelectionDependsOn() {
    assertThat(StaticFiles.acceptedCodings(Optional.of("gzip, deflate, br"))).isEqualTo(0b11);
    assertThat(StaticFiles.acceptedCodings(Optional.of("br;q=0, gzip;q=0.5"))).isEqualTo(0b10);
    assertThat(StaticFiles.acceptedCodings(Optional.of("br"))).isEqualTo(0b01);
    assertThat(StaticFiles.acceptedCodings(Optional.of("identity"))).isZero();
    assertThat(StaticFiles.acceptedCodings(Optional.empty())).isZero();
  }

  @Test
  void precompressedVariantsVaryOnAcceptEncodingAndKeepTheOriginalType() throws IOException {
    HttpResponse head = StaticFiles.head(new StaticFiles.Full(select("gzip", false)));

    assertThat(head.headers().get("Vary")).isEqualToIgnoringCase("accept-encoding");
    assertThat(head.headers().get("Content-Encoding")).isEqualTo("gzip");
    assertThat(head.headers().get("Content-Type")).isEqualTo("text/css; charset=utf-8");
    assertThat(head.headers().get("Content-Length")).isEqualTo("3");
    assertThat(head.headers().get("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
  }

  @Test
  void rangeRequestsGetTheUncompressedFile() throws IOException {
    assertThat(select("br, gzip", true).contentEncoding()).isEmpty();
  }

  @Test
  void etagMatchGives304EvenWithAnOlderDate() throws IOException {
    StaticFiles.Representation rep = select(null, false);
    HttpHeaders request =
        new DefaultHttpHeaders()
            .add("If-None-Match", "\"other\", W/" + rep.etag())
            .add("If-Modified-Since", DateFormatter.format(Date.from(MODIFIED.minusSeconds(3600))));

    assertThat(StaticFiles.evaluate(rep, request)).isInstanceOf(StaticFiles.NotModified.class);
  }

  @Test
  void ifNoneMatchMismatchIgnoresIfModifiedSince() throws IOException {
    StaticFiles.Representation rep = select(null, false);
    HttpHeaders request =
        new DefaultHttpHeaders().add("If-None-Match", "\"other\"").add("If-Modified-Since", DateFormatter.format(Date.from(MODIFIED)));

    assertThat(StaticFiles.evaluate(rep, request)).isInstanceOf(StaticFiles.Full.class);
  }

  @Test
  void ifModifiedSinceAtOrAfterTheFileGives304() throws IOException {
    StaticFiles.Representation rep = select(null, false);

    assertThat(StaticFiles.evaluate(rep, new DefaultHttpHeaders().add("If-Modified-Since", DateFormatter.format(Date.from(MODIFIED)))))
        .isInstanceOf(StaticFiles.NotModified.class);
    assertThat(StaticFiles.evaluate(rep, new DefaultHttpHeaders().add("If-Modified-Since", DateFormatter.format(Date.from(MODIFIED.minusSeconds(1))))))
        .isInstanceOf(StaticFiles.Full.class);
  }

  @Test
  void singleRangeGives206WithContentRange() throws IOException {
    StaticFiles.Representation rep = select(null, true);

    StaticFiles.Answer answer = StaticFiles.evaluate(rep, new DefaultHttpHeaders().add("Range", "bytes=5-9"));
    HttpResponse head = StaticFiles.head(answer);

    assertThat(head.status().code()).isEqualTo(206);
    assertThat(head.headers().get("Content-Range")).isEqualTo("bytes 5-9/21");
    assertThat(head.headers().get("Content-Length")).isEqualTo("5");
  }

  @Test
  void rangePastTheEndGives416() throws IOException {
    StaticFiles.Representation rep = select(null, true);

    HttpResponse head = StaticFiles.head(StaticFiles.evaluate(rep, new DefaultHttpHeaders().add("Range", "bytes=100-")));

    assertThat(head.status().code()).isEqualTo(416);
    assertThat(head.headers().get("Content-Range")).isEqualTo("bytes */21");
  }

  @Test
  void staleIfRangeServesTheWholeFile() throws IOException {
    StaticFiles.Representation rep = select(null, true);

    StaticFiles.Answer answer =
        StaticFiles.evaluate(rep, new DefaultHttpHeaders().add("Range", "bytes=0-1").add("If-Range", "\"old\""));

    assertThat(answer).isInstanceOf(StaticFiles.Full.class);
  }

  @Test
  void byteRangeForms() {
    assertThat(ByteRange.parse(Optional.of("bytes=-5"), 21)).isEqualTo(new ByteRange.Partial(new ByteRange(16, 20)));
    assertThat(ByteRange.parse(Optional.of("bytes=10-"), 21)).isEqualTo(new ByteRange.Partial(new ByteRange(10, 20)));
    assertThat(ByteRange.parse(Optional.of("bytes=10-1000"), 21)).isEqualTo(new ByteRange.Partial(new ByteRange(10, 20)));
    assertThat(ByteRange.parse(Optional.of("bytes=0-1,5-6"), 21)).isInstanceOf(ByteRange.Whole.class);
    assertThat(ByteRange.parse(Optional.of("bytes=5-1"), 21)).isInstanceOf(ByteRange.Whole.class);
    assertThat(ByteRange.parse(Optional.of("items=0-1"), 21)).isInstanceOf(ByteRange.Whole.class);
    assertThat(ByteRange.parse(Optional.of("bytes=-0"), 21)).isInstanceOf(ByteRange.Unsatisfiable.class);
  }

  @Test
  void contentTypesByExtension() {
    assertThat(ContentTypes.forFileName("a.js")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(ContentTypes.forFileName("a.WOFF2")).isEqualTo("font/woff2");
    assertThat(ContentTypes.forFileName("a.svg")).isEqualTo("image/svg+xml");
    assertThat(ContentTypes.forFileName("a.wasm")).isEqualTo("application/wasm");
    assertThat(ContentTypes.forFileName("README")).isEqualTo("application/octet-stream");
  }
}
