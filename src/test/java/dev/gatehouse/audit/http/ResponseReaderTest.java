package dev.gatehouse.audit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ProtocolException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ResponseReaderTest {
  private static final ProbeRequest GET = ProbeRequest.get(URI.create("https://example.test/page"));
  private static final ProbeLimits LIMITS = ProbeLimits.defaults();

  private static ProbeResponse read(String wire, ProbeRequest request, ProbeLimits limits) throws IOException {
    return ResponseReader.read(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)), request,
        limits);
  }

  private static ProbeResponse read(String wire) throws IOException {
    return read(wire, GET, LIMITS);
  }

  @Test
  void readsContentLengthBodyAndKeepsRepeatedFields() throws IOException {
    ProbeResponse response = read("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nSet-Cookie: a=1\r\n"
        + "set-cookie: b=2\r\n\r\nhelloEXTRA");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.reason()).isEqualTo("OK");
    assertThat(response.bodyText()).isEqualTo("hello");
    assertThat(response.headers().all("Set-Cookie")).containsExactly("a=1", "b=2");
    assertThat(response.truncated()).isFalse();
  }

  @Test
  void decodesChunkedBodyWithExtensionsAndTrailers() throws IOException {
    ProbeResponse response = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
        + "5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer: x\r\n\r\n");

    assertThat(response.bodyText()).isEqualTo("hello world");
  }

  @Test
  void readsUntilCloseWithoutLengthAndAcceptsBareLineFeeds() throws IOException {
    ProbeResponse response = read("HTTP/1.0 200 OK\nServer: old\n\nall of it");

    assertThat(response.bodyText()).isEqualTo("all of it");
    assertThat(response.header("server")).contains("old");
  }

  @Test
  void skipsInterimResponsesAndFoldsObsoleteLineFolding() throws IOException {
    ProbeResponse response = read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 302 Found\r\nLocation: /a\r\n"
        + "X-Long: one\r\n  two\r\nContent-Length: 0\r\n\r\n");

    assertThat(response.status()).isEqualTo(302);
    assertThat(response.header("X-Long")).contains("one two");
    assertThat(response.location()).contains(URI.create("https://example.test/a"));
    assertThat(response.isRedirect()).isTrue();
  }

  @Test
  void headAnd204And304HaveNoBodyWhateverTheHeadersSay() throws IOException {
    ProbeRequest head = new ProbeRequest("HEAD", GET.uri(), HeaderFields.of(), new byte[0]);

    assertThat(read("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n", head, LIMITS).body()).isEmpty();
    assertThat(read("HTTP/1.1 204 No Content\r\n\r\n").body()).isEmpty();
    assertThat(read("HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n").body()).isEmpty();
  }

  @Test
  void keepsOnlyTheBodyLimitAndSaysSo() throws IOException {
    ProbeLimits small = new ProbeLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), 4096, 4, 10);

    ProbeResponse declared = read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789", GET, small);
    ProbeResponse chunked = read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\n0\r\n\r\n",
        GET, small);

    assertThat(declared.bodyText()).isEqualTo("0123");
    assertThat(declared.truncated()).isTrue();
    assertThat(chunked.bodyText()).isEqualTo("0123");
    assertThat(chunked.truncated()).isTrue();
  }

  @Test
  void rejectsWhatIsNotHttp11() {
    assertThatThrownBy(() -> read("SSH-2.0-OpenSSH\r\n\r\n")).isInstanceOf(ProtocolException.class)
        .hasMessageContaining("not an HTTP/1.1 status line: 'SSH-2.0-OpenSSH'");
    assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("invalid Content-Length");
    assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n"))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("malformed header field");
    assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("5 of 10 body bytes");
    assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"))
        .isInstanceOf(ProtocolException.class).hasMessageContaining("invalid chunk size line: 'zz'");
    assertThatThrownBy(() -> read("HTTP/1.1 200 OK\r\nX: y")).isInstanceOf(EOFException.class);
  }

  @Test
  void limitsTheHeaderSection() {
    ProbeLimits small = new ProbeLimits(Duration.ofSeconds(1), Duration.ofSeconds(1), 1024, 100, 10);
    String huge = "HTTP/1.1 200 OK\r\n" + "X-Filler: " + "a".repeat(2000) + "\r\n\r\n";

    assertThatThrownBy(() -> read(huge, GET, small)).isInstanceOf(ProtocolException.class);
  }

  @Test
  void decodesTheBodyWithTheDeclaredCharset() throws IOException {
    ProbeResponse latin1 = read("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=ISO-8859-1\r\n"
        + "Content-Length: 4\r\n\r\ncaf\u00e9");
    ProbeResponse unknown = read("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=x-nonsense\r\n"
        + "Content-Length: 3\r\n\r\nabc");

    assertThat(latin1.isHtml()).isTrue();
    assertThat(latin1.bodyText()).isEqualTo("caf\u00e9");
    assertThat(unknown.bodyText()).isEqualTo("abc");
  }
}
