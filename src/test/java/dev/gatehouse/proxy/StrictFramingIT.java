package dev.gatehouse.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.certs.CertificateCache;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.config.Limits;
import dev.gatehouse.config.Upstream;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.RawHttp;
import dev.gatehouse.testing.RawResponse;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RFC 9112 framing that two parsers could read differently (request smuggling), sent byte for byte on both
 * ports: each gets its status and the upstream (a recording one) sees nothing of it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StrictFramingIT {

  private static final String HOST = "Host: app.test\r\n";

  private RecordingUpstream upstream;
  private GatehouseServer server;
  private Path caPem;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    upstream = new RecordingUpstream();
    TestCert ca = TestCerts.ca("Gatehouse framing root");
    caPem = ca.writeCertificate(dir.resolve("ca.pem"));
    CertificateCache certificates = new CertificateCache();
    certificates.put(List.of("app.test"), TestConfigs.key(TestCerts.forNames("app.test").signedBy(ca).issue()));
    var site = TestConfigs.site(List.of("app.test"), Optional.of(new Upstream.Tcp("127.0.0.1", upstream.port())), List.of());
    server = GatehouseServer.start(
        TestConfigs.serve(List.of(site), FreePorts.next(), 0, dir.resolve("state")), certificates, new ChallengeResponses());
  }

  @AfterAll
  void stop() throws Exception {
    if (server != null) {
      server.close(java.time.Duration.ZERO);
    }
    upstream.close();
  }

  /** Faults in the head: refused before anything is forwarded, on both ports. */
  static Stream<Arguments> hostileHeads() {
    String longTarget = "/" + "a".repeat(Limits.DEFAULT_MAX_INITIAL_LINE_BYTES);
    String bigHeaders = ("X-Filler: " + "b".repeat(990) + "\r\n").repeat(17);
    StringBuilder manyFields = new StringBuilder();
    for (int i = 0; i <= Limits.DEFAULT_MAX_HEADER_COUNT; i++) {
      manyFields.append("X-F").append(i).append(": v\r\n");
    }
    return Stream.of(
        Arguments.of("CL and TE", post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400),
        Arguments.of("duplicate CL", post("Content-Length: 5\r\nContent-Length: 5\r\n", "hello"), 400),
        Arguments.of("conflicting CL", post("Content-Length: 5\r\nContent-Length: 6\r\n", "hello!"), 400),
        Arguments.of("CL list", post("Content-Length: 5, 6\r\n", "hello!"), 400),
        Arguments.of("CL sign", post("Content-Length: +5\r\n", "hello"), 400),
        Arguments.of("TE xchunked", post("Transfer-Encoding: xchunked\r\n", "5\r\nhello\r\n0\r\n\r\n"), 400),
        Arguments.of("TE chunked, identity", post("Transfer-Encoding: chunked, identity\r\n", "0\r\n\r\n"), 400),
        Arguments.of("TE twice", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"), 400),
        Arguments.of("space before colon in TE", post("Transfer-Encoding : chunked\r\n", "0\r\n\r\n"), 400),
        Arguments.of("leading whitespace", "POST /smuggle HTTP/1.1\r\n Transfer-Encoding: chunked\r\n" + HOST + "\r\n0\r\n\r\n", 400),
        Arguments.of("obs-fold", post("X-Folded: a\r\n b\r\n", ""), 400),
        Arguments.of("obs-fold into TE", post("Transfer-Encoding: \r\n chunked\r\n", "0\r\n\r\n"), 400),
        Arguments.of("TE in HTTP/1.0", "POST /smuggle HTTP/1.0\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        Arguments.of("NUL in value", post("X-Nul: a\0b\r\n", ""), 400),
        Arguments.of("CR in value", post("X-Cr: a\rb\r\n", ""), 400),
        Arguments.of("space before colon", "GET /smuggle HTTP/1.1\r\nHost : app.test\r\n\r\n", 400),
        Arguments.of("bare LF", "GET /smuggle HTTP/1.1\nHost: app.test\n\n", 400),
        Arguments.of("bare LF in header", "GET /smuggle HTTP/1.1\r\nHost: app.test\nX-A: b\r\n\r\n", 400),
        Arguments.of("two Hosts", "GET /smuggle HTTP/1.1\r\n" + HOST + "Host: evil.example\r\n\r\n", 400),
        Arguments.of("two spaces in request line", "GET  /smuggle HTTP/1.1\r\n" + HOST + "\r\n", 400),
        Arguments.of("request line over 8 KiB", "GET " + longTarget + " HTTP/1.1\r\n" + HOST + "\r\n", 414),
        Arguments.of("headers over 16 KiB", "GET /smuggle HTTP/1.1\r\n" + HOST + bigHeaders + "\r\n", 431),
        Arguments.of("over 100 fields", "GET /smuggle HTTP/1.1\r\n" + HOST + manyFields + "\r\n", 431));
  }

  /** Faults inside a chunked body: port 443 buffers the body, so the upstream never sees the request. */
  static Stream<Arguments> hostileBodies() {
    return Stream.of(
        Arguments.of("chunk size 0x", post("Transfer-Encoding: chunked\r\n", "0x5\r\nhello\r\n0\r\n\r\n"), 400),
        Arguments.of("chunk size leading space", post("Transfer-Encoding: chunked\r\n", " 5\r\nhello\r\n0\r\n\r\n"), 400),
        Arguments.of("chunk size trailing space", post("Transfer-Encoding: chunked\r\n", "5 \r\nhello\r\n0\r\n\r\n"), 400),
        Arguments.of("chunk size overlong", post("Transfer-Encoding: chunked\r\n", "00000000000000005\r\nhello\r\n0\r\n\r\n"), 400),
        Arguments.of("chunk size overflow", post("Transfer-Encoding: chunked\r\n", "ffffffffffffffff\r\nhello\r\n0\r\n\r\n"), 400),
        Arguments.of("chunk data too long", post("Transfer-Encoding: chunked\r\n", "5\r\nhello!\r\n0\r\n\r\n"), 400));
  }

  private static String post(String fields, String body) {
    return "POST /smuggle HTTP/1.1\r\n" + HOST + fields + "\r\n" + body;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource({"hostileHeads", "hostileBodies"})
  void httpsRefusesAndUpstreamSeesNothing(String name, String request, int status) {
    int before = upstream.requests().size();

    RawResponse response = RawHttp.tls(server.httpsPort(), "app.test", caPem).alpn("http/1.1").exchange(request);

    assertThat(response.status()).as(name).isEqualTo(status);
    assertThat(response.header("connection")).isEqualToIgnoringCase("close");
    assertThat(upstream.requests()).as("requests the upstream saw").hasSize(before)
        .noneMatch(r -> r.contains("/smuggle"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileHeads")
  void portEightyRefuses(String name, String request, int status) {
    RawResponse response = RawHttp.plain(server.httpPort()).exchange(request);

    assertThat(response.status()).as(name).isEqualTo(status);
  }

  @Test
  void wellFramedRequestsPassOnOneConnection() {
    try (RawHttp.Connection c = RawHttp.tls(server.httpsPort(), "app.test", caPem).alpn("http/1.1").open()) {
      c.send("\r\nPOST /fine-length HTTP/1.1\r\n" + HOST + "Content-Length: 5\r\n\r\nhello"
          + "POST /fine-chunked HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n"
          + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n");
      assertThat(c.readResponse().status()).isEqualTo(200);
      assertThat(c.readResponse().status()).isEqualTo(200);
    }
    assertThat(upstream.requests()).anyMatch(r -> r.startsWith("POST /fine-length ") && r.endsWith("hello"));
    assertThat(upstream.requests()).anyMatch(r -> r.startsWith("POST /fine-chunked ") && r.endsWith("hello world"));
  }
}
