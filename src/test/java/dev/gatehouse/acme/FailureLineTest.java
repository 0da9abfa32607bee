package dev.gatehouse.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URL;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeServerException;
import org.shredzone.acme4j.toolbox.JSON;

class FailureLineTest {

  private static Problem problem(String type, String detail) throws Exception {
    URL base = URI.create("https://ca.example/acme/chall/1").toURL();
    return new Problem(JSON.parse("{\"type\":\"urn:ietf:params:acme:error:" + type + "\",\"detail\":\""
        + detail + "\"}"), base);
  }

  @Test
  void anHttp01ConnectionFailurePointsAtPort80AndDns() throws Exception {
    assertThat(FailureLine.validation("www.example.com", "http-01",
            problem("connection", "127.0.0.1: Fetching http://www.example.com/.well-known/acme-challenge/x:"
                + " Connection refused")))
        .isEqualTo("www.example.com: http-01 validation failed: connection: 127.0.0.1: Fetching"
            + " http://www.example.com/.well-known/acme-challenge/x: Connection refused — likely fix: open port 80"
            + " to the internet and point the DNS A/AAAA records of www.example.com at this server");
  }

  @Test
  void anUnauthorizedAnswerSaysAnotherServerAnswered() throws Exception {
    assertThat(FailureLine.validation("example.com", "http-01", problem("unauthorized", "Invalid response: 404")))
        .endsWith("likely fix: another server answered on port 80: DNS for example.com points elsewhere, or a"
            + " proxy/CDN in front does not pass /.well-known/acme-challenge/ through to Gatehouse");
  }

  @Test
  void aCaaRecordNamesTheCaaFix() throws Exception {
    assertThat(FailureLine.validation("example.com", "tls-alpn-01",
            problem("caa", "CAA record for example.com prevents issuance")))
        .contains("caa: CAA record for example.com prevents issuance")
        .endsWith("a CAA record on example.com or a parent domain forbids this CA: add a CAA issue record for it"
            + " (letsencrypt.org for Let's Encrypt) or remove the CAA record");
  }

  @Test
  void aDns01FailurePointsAtTheHook() throws Exception {
    assertThat(FailureLine.validation("*.example.com", "dns-01", problem("unauthorized", "Incorrect TXT record")))
        .endsWith("the TXT record _acme-challenge.example.com holds another value: remove stale records and"
            + " check --dns-hook writes to the right zone");
  }

  @Test
  void multiLineDetailsBecomeOneLine() throws Exception {
    assertThat(FailureLine.request("example.com", "https://ca.example/dir",
            new AcmeServerException(problem("serverInternal", "first line\\n  second line"))))
        .isEqualTo("example.com: serverInternal: first line second line — likely fix: the CA had an internal"
            + " error; Gatehouse retries by itself");
  }

  @Test
  void anUnreachableCaNamesTheDirectoryAndTheCause() {
    assertThat(FailureLine.request("example.com", "https://ca.example/dir",
            new AcmeNetworkException(new ConnectException("Connection refused"))))
        .isEqualTo("example.com: cannot reach the ACME CA at https://ca.example/dir (ConnectException:"
            + " Connection refused) — likely fix: check --ca/--acme-directory and this machine's outbound HTTPS;"
            + " Gatehouse retries by itself");
  }
}
