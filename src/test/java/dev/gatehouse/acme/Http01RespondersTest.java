package dev.gatehouse.acme;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.certs.ChallengeResponses;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Http01RespondersTest {

  @TempDir Path dir;

  @Test
  void webrootWritesAWorldReadableFileUnderWellKnownAndRemovesItAfterwards() throws Exception {
    var published = new WebrootHttp01Responder(dir).publish("tok-EN_1", "tok-EN_1.thumb");
    Path file = dir.resolve(".well-known/acme-challenge/tok-EN_1");
    assertThat(file).hasContent("tok-EN_1.thumb");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-r--r--");
    try (var listing = Files.list(file.getParent())) {
      assertThat(listing).containsExactly(file);
    }
    published.withdraw();
    assertThat(file).doesNotExist();
  }

  @Test
  void standaloneAnswersPendingTokensOnlyAndNothingElse() throws Exception {
    ChallengeResponses responses = new ChallengeResponses();
    var published = Http01Responder.inProcess(responses, "test").publish("abc", "abc.thumb");
    try (var server = StandaloneHttp01Server.start(new InetSocketAddress("127.0.0.1", 0), responses)) {
      String base = "http://127.0.0.1:" + server.address().getPort();
      HttpClient client = HttpClient.newHttpClient();
      var ok = client.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/acme-challenge/abc")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).isEqualTo("abc.thumb");
      for (String path : new String[] {"/.well-known/acme-challenge/other", "/", "/abc"}) {
        assertThat(client.send(HttpRequest.newBuilder(URI.create(base + path)).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()).as(path).isEqualTo(404);
      }
      published.withdraw();
      assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/.well-known/acme-challenge/abc")).build(),
          HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
    }
  }
}
