package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.ManagedProcess;
import dev.gatehouse.testing.Pebble;
import dev.gatehouse.testing.Pems;
import dev.gatehouse.testing.RawHttp;
import dev.gatehouse.testing.RawResponse;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gatehouse serve} with certificates from a real ACME CA (Pebble): issued at start, renewed on
 * request from {@code gatehouse certs renew --force} while clients keep connecting, reused after a restart.
 */
class ServeAcmeIT {

  private static final String NAME = "app.test";
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path tmp;

  private List<String> acmeFlags(Pebble pebble) {
    return List.of(
        "--ca", pebble.directoryUrl(), "--acme-trust", pebble.trustPem().toString(), "--email", "ops@app.test",
        "--state-dir", tmp.resolve("state").toString());
  }

  private List<String> serve(Pebble pebble, int http, int https) {
    List<String> args =
        new ArrayList<>(
            List.of("serve", NAME, "--http-port", "" + http, "--https-port", "" + https, "--bind", "127.0.0.1",
                "--access-log", "off"));
    args.addAll(acmeFlags(pebble));
    return args;
  }

  @Test
  void issuesOverHttp01RenewsUnderLoadWithoutAFailedRequestAndReusesAfterRestart() throws Exception {
    int http = FreePorts.next();
    int https = FreePorts.next();
    try (Pebble pebble = Pebble.start(http, https)) {
      BigInteger first;
      try (GatehouseProcess serve = GatehouseProcess.start(serve(pebble, http, https), http, https)) {
        first = awaitPebbleCertificate(pebble, https, null, serve);
        assertThat(pebble.orderCount()).isEqualTo(1);

        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        AtomicReference<String> failure = new AtomicReference<>();
        Thread clients =
            new Thread(
                () -> {
                  while (running.get() && failure.get() == null) {
                    try {
                      RawResponse r =
                          RawHttp.tls(https, NAME, pebble.issuingRootPem()).exchange(RawHttp.get(NAME, "/"));
                      if (r.status() != 200) {
                        failure.set("status " + r.status());
                      }
                      ok.incrementAndGet();
                    } catch (RuntimeException e) {
                      failure.set(e.toString());
                    }
                  }
                });
        clients.start();
        try {
          List<String> renew = new ArrayList<>(List.of("certs", "renew", "--force"));
          renew.addAll(acmeFlags(pebble));
          ManagedProcess.Result result = GatehouseProcess.run(tmp, Map.of(), WAIT, renew);
          assertThat(result.exitCode()).as(result.output() + "\n" + serve.log()).isZero();
          BigInteger second = awaitPebbleCertificate(pebble, https, first, serve);
          assertThat(second).isNotEqualTo(first);
          int before = ok.get();
          while (ok.get() < before + 5 && failure.get() == null) {
            Thread.sleep(20);
          }
        } finally {
          running.set(false);
          clients.join();
        }
        assertThat(failure.get()).as("a request failed during the renewal").isNull();
        assertThat(ok.get()).isGreaterThan(5);
        first = Pems.presentedSerial(https, NAME);
      }
      int orders = pebble.orderCount();
      try (GatehouseProcess again = GatehouseProcess.start(serve(pebble, http, https), http, https)) {
        assertThat(awaitPebbleCertificate(pebble, https, null, again)).isEqualTo(first);
        assertThat(pebble.orderCount()).as("a restart orders nothing").isEqualTo(orders);
        assertThat(again.log()).doesNotContain(" ERROR ");
      }
    }
  }

  @Test
  void issuesOverTlsAlpn01WhenThePlainHttpPortIsOff() throws Exception {
    int closedHttp = FreePorts.next();
    int https = FreePorts.next();
    try (Pebble pebble = Pebble.start(closedHttp, https);
        GatehouseProcess serve = GatehouseProcess.start(serve(pebble, 0, https), https)) {
      awaitPebbleCertificate(pebble, https, null, serve);
      RawResponse page = RawHttp.tls(https, NAME, pebble.issuingRootPem()).exchange(RawHttp.get(NAME, "/"));
      assertThat(page.status()).isEqualTo(200);
    }
  }

  /** Waits until the served certificate for NAME chains to Pebble's root and differs from {@code previous}. */
  private static BigInteger awaitPebbleCertificate(
      Pebble pebble, int https, BigInteger previous, GatehouseProcess serve) throws InterruptedException {
    return pebble.awaitServedCertificate(https, NAME, previous, WAIT, serve::log);
  }
}
