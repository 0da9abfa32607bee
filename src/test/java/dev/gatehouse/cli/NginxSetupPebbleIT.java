package dev.gatehouse.cli;

import static dev.gatehouse.nginx.PlainHttpSite.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.nginx.PlainHttpSite;
import dev.gatehouse.testing.Curl;
import dev.gatehouse.testing.CurlResult;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.Pebble;
import dev.gatehouse.testing.Pems;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The whole classic guide against a real ACME CA: {@code gatehouse nginx setup} takes a plain-HTTP nginx
 * site to HTTPS with a certificate from Pebble (http-01 through nginx's webroot, names checked against
 * Pebble's DNS), and the renewal it installs, run as installed with {@code --force}, makes nginx serve the
 * new serial.
 */
class NginxSetupPebbleIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CRON_RENEW =
      Pattern.compile(" root \\S+ certs renew --state-dir (\\S+) --deploy-hook \"([^\"]+)\"\\n");

  record Run(int exitCode, String out, String err) {}

  @Test
  void setupWithPebbleThenTheInstalledRenewalServesTheNewSerial(@TempDir Path work) throws Exception {
    int httpPort = FreePorts.next();
    int httpsPort = FreePorts.next();
    Path state = work.resolve("state");
    Path cron = Files.createDirectories(work.resolve("cron.d"));
    try (Pebble pebble = Pebble.start(httpPort, httpsPort);
        PlainHttpSite site = PlainHttpSite.start(work, httpPort, httpsPort)) {
      Map<String, String> before = site.snapshot();

      Run setup = gatehouse("nginx", "setup", "app.test", "www.app.test", "--upstream", site.app.upstreamArg(),
          "--static", "/static/=" + site.staticDir, "--webroot", work.resolve("webroot").toString(),
          "--bind", "127.0.0.1", "--http-port", Integer.toString(httpPort), "--https-port", Integer.toString(httpsPort),
          "--ca", pebble.directoryUrl(), "--acme-trust", pebble.trustPem().toString(),
          "--dns-server", pebble.dnsServer(), "--renewal", "cron", "--cron-dir", cron.toString(),
          "--nginx-conf-dir", site.confDir().toString(), "--sites-dir", site.sitesDir.toString(),
          "--state-dir", state.toString());

      assertThat(setup.exitCode()).as(setup.out() + setup.err()).isZero();
      assertThat(setup.out()).contains("obtain the certificate from " + pebble.directoryUrl(), "names resolve here");
      Path root = pebble.issuingRootPem();
      CurlResult echo = Curl.to(site.origin() + "/echo/").cacert(root).run();
      assertThat(echo.status()).as(echo.toString()).isEqualTo(200);
      assertThat(JSON.readTree(echo.body()).get("is_secure").asBoolean()).isTrue();
      assertThat(Curl.to(site.origin() + "/static/css/site.css").cacert(root).run().bodyText())
          .isEqualTo("body { color: teal; }\n");
      BigInteger first = storedSerial(state);
      assertThat(Pems.presentedSerial(httpsPort, "www.app.test")).isEqualTo(first);
      assertThat(pebble.orderCount()).isEqualTo(1);

      Matcher installed = CRON_RENEW.matcher(Files.readString(cron.resolve("gatehouse-renew")));
      assertThat(installed.find()).as("the installed cron line").isTrue();
      Run renew = gatehouse("certs", "renew", "--state-dir", installed.group(1), "--deploy-hook", installed.group(2), "--force");

      assertThat(renew.exitCode()).as(renew.out() + renew.err()).isZero();
      BigInteger second = storedSerial(state);
      assertThat(second).isNotEqualTo(first);
      assertThat(eventually(() -> Pems.presentedSerial(httpsPort, "app.test").equals(second)))
          .as("nginx serves the renewed certificate after the deploy hook").isTrue();

      Run rollback = gatehouse("nginx", "rollback", "--nginx-conf-dir", site.confDir().toString(),
          "--sites-dir", site.sitesDir.toString(), "--state-dir", state.toString());
      assertThat(rollback.exitCode()).as(rollback.err()).isZero();
      assertThat(site.snapshot()).isEqualTo(before);
      assertThat(eventually(() -> site.plainEcho().status() == 200)).isTrue();
    }
  }

  @Test
  void preflightRefusesANameThatPointsElsewhere(@TempDir Path work) throws Exception {
    int httpPort = FreePorts.next();
    int httpsPort = FreePorts.next();
    try (Pebble pebble = Pebble.start(httpPort, httpsPort);
        PlainHttpSite site = PlainHttpSite.start(work, httpPort, httpsPort)) {
      HttpResponse<String> added = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(pebble.challtestsrvUrl() + "/add-a"))
              .POST(HttpRequest.BodyPublishers.ofString("{\"host\":\"www.app.test.\",\"addresses\":[\"192.0.2.10\"]}"))
              .build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(added.statusCode()).isEqualTo(200);
      Map<String, String> before = site.snapshot();

      Run setup = gatehouse("nginx", "setup", "app.test", "www.app.test", "--upstream", site.app.upstreamArg(),
          "--webroot", work.resolve("webroot").toString(), "--bind", "127.0.0.1",
          "--http-port", Integer.toString(httpPort), "--https-port", Integer.toString(httpsPort),
          "--ca", pebble.directoryUrl(), "--acme-trust", pebble.trustPem().toString(),
          "--dns-server", pebble.dnsServer(), "--renewal", "none",
          "--nginx-conf-dir", site.confDir().toString(), "--sites-dir", site.sitesDir.toString(),
          "--state-dir", work.resolve("state").toString());

      assertThat(setup.exitCode()).isEqualTo(1);
      assertThat(setup.err()).isEqualTo("gatehouse nginx setup: step 'preflight' failed: www.app.test resolves to "
          + "192.0.2.10, not an address of this host: point its records here, or pass --no-dns-check if a load "
          + "balancer forwards port 80 here; nothing was changed\n");
      assertThat(site.snapshot()).isEqualTo(before);
      assertThat(pebble.orderCount()).isZero();
    }
  }

  private static BigInteger storedSerial(Path state) {
    return Pems.readCertificate(state.resolve("live/app.test/cert.pem")).getSerialNumber();
  }

  private static Run gatehouse(String... args) {
    CommandLine cl = GatehouseCommand.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(new ArrayList<>(List.of(args)).toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }
}
