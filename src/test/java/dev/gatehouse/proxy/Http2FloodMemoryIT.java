package dev.gatehouse.proxy;

import static dev.gatehouse.proxy.Http2FrameClient.CANCEL;
import static dev.gatehouse.proxy.Http2FrameClient.CONTINUATION;
import static dev.gatehouse.proxy.Http2FrameClient.DATA;
import static dev.gatehouse.proxy.Http2FrameClient.END_HEADERS;
import static dev.gatehouse.proxy.Http2FrameClient.END_STREAM;
import static dev.gatehouse.proxy.Http2FrameClient.ENHANCE_YOUR_CALM;
import static dev.gatehouse.proxy.Http2FrameClient.HEADERS;
import static dev.gatehouse.proxy.Http2FrameClient.PING;
import static dev.gatehouse.proxy.Http2FrameClient.RST_STREAM;
import static dev.gatehouse.proxy.Http2FrameClient.SETTINGS;
import static dev.gatehouse.proxy.Http2FrameClient.field;
import static dev.gatehouse.proxy.Http2FrameClient.frame;
import static dev.gatehouse.proxy.Http2FrameClient.frames;
import static dev.gatehouse.proxy.Http2FrameClient.repeated;
import static dev.gatehouse.proxy.Http2FrameClient.requestBlock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.RawHttp;
import dev.gatehouse.testing.TestCert;
import dev.gatehouse.testing.TestCerts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 floods against the real jar in a JVM with a small fixed heap ({@link #JVM_OPTIONS}): each ends after a
 * bounded number of frames, the process's resident memory grows by less than {@link #RSS_GROWTH_BOUND_KIB}
 * while it lasts, nothing runs out of memory, and a normal request on a new connection is answered afterwards.
 *
 * <p>The heap is committed and touched at start ({@code -Xms = -Xmx}, {@code AlwaysPreTouch}), so resident
 * growth is what the flood costs outside it: direct buffers (capped too), thread stacks, code. Frames are
 * counted on the client; where the flood allows it, batches end with a PING whose acknowledgement shows the
 * server has processed everything before it (RFC 9113 §6.7), so the count is exact to a batch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Http2FloodMemoryIT {

  /**
   * The flood's cost as shipped: Main turns Netty's leak detector off, while the harness runs it at paranoid,
   * which keeps a record per buffer and alone fills a 64 MiB heap under a SETTINGS flood.
   */
  static final List<String> JVM_OPTIONS =
      List.of("-Xms64m", "-Xmx64m", "-XX:+AlwaysPreTouch", "-XX:MaxDirectMemorySize=32m",
          "-Dio.netty.leakDetection.level=disabled");

  /** Resident growth allowed during one flood: half the heap; an unbounded queue would pass it within seconds. */
  static final long RSS_GROWTH_BOUND_KIB = 32 << 10;

  /** Rapid reset: Netty allows 200 RST_STREAM per 30 s ({@link HttpsChannelInitializer}), each after a HEADERS. */
  static final int RAPID_RESET_FRAME_BOUND = 1_000;

  /** CONTINUATION: 16 small frames are allowed in one header block. */
  static final int CONTINUATION_FRAME_BOUND = 100;

  /** Empty DATA: 2 in a row are allowed. */
  static final int EMPTY_DATA_FRAME_BOUND = 50;

  /**
   * SETTINGS or PING from a client that never reads the acknowledgements: 10,000 acknowledgements may wait
   * unsent, then the server stops reading ({@link StopReadingOnClose}); what the client got out before is what
   * the kernels' socket buffers held on the way (about 7 MB on loopback: ~800,000 9-byte SETTINGS frames).
   */
  static final int UNREAD_CONTROL_FRAME_BOUND = 1_500_000;

  private RecordingUpstream upstream;
  private GatehouseProcess gatehouse;
  private Path caPem;
  private int https;
  private RssSampler sampler;
  private String flood;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    upstream = new RecordingUpstream();
    TestCert ca = TestCerts.ca("Gatehouse flood memory root");
    caPem = ca.writeCertificate(dir.resolve("ca.pem"));
    var files = TestCerts.forNames("app.test").signedBy(ca).issue().writeTo(dir, "site");
    https = FreePorts.next();
    gatehouse = GatehouseProcess.start(JVM_OPTIONS,
        List.of("serve", "app.test", "--upstream", "127.0.0.1:" + upstream.port(), "--http-port", "0",
            "--https-port", "" + https, "--bind", "127.0.0.1", "--state-dir", dir.resolve("state").toString(),
            "--access-log", "off", "--tls-cert", files.cert().toString(), "--tls-key", files.key().toString()),
        Map.of(), https);
    servesNormally("warm-up");
  }

  @AfterAll
  void stop() throws Exception {
    if (gatehouse != null) {
      gatehouse.close();
    }
    upstream.close();
  }

  @BeforeEach
  void startSampling(TestInfo test) {
    flood = test.getTestMethod().orElseThrow().getName();
    sampler = new RssSampler(gatehouse.process().pid());
  }

  @AfterEach
  void stillServesWithinTheMemoryBound() throws Exception {
    long growth = sampler.stop();
    System.out.println("[flood memory] " + flood + ": resident growth " + growth + " KiB");
    assertThat(growth).as(flood + ": resident memory growth in KiB").isLessThan(RSS_GROWTH_BOUND_KIB);
    assertThat(gatehouse.log()).doesNotContain("OutOfMemoryError").doesNotContain("OutOfDirectMemoryError");
    servesNormally(flood);
  }

  /** A plain GET on a new HTTP/2 connection gets its response HEADERS, and one on HTTP/1.1 its 200. */
  private void servesNormally(String label) throws Exception {
    try (Http2FrameClient c = Http2FrameClient.connect(https, "app.test", caPem, 1 << 16).startReading()) {
      c.send(frame(HEADERS, END_HEADERS | END_STREAM, 1, requestBlock("GET", "/after-" + label, "app.test")));
      assertThat(c.sync(1, Duration.ofSeconds(10))).as("PING answered after " + label).isTrue();
      for (int i = 0; i < 100 && !c.responseHeaderStreams().contains(1); i++) {
        Thread.sleep(50);
      }
      assertThat(c.responseHeaderStreams()).as("HTTP/2 response after " + label).contains(1);
    }
    assertThat(upstream.requests()).anyMatch(r -> r.startsWith("GET /after-" + label + " "));
    assertThat(RawHttp.tls(https, "app.test", caPem).alpn("http/1.1").exchange(RawHttp.get("app.test", "/"))
        .status()).as("HTTP/1.1 after " + label).isEqualTo(200);
  }

  /** Sends {@code batch} frames at a time, each batch closed by a PING round trip, until the connection ends. */
  private int syncedFlood(Http2FrameClient c, java.util.function.IntFunction<byte[]> frame, int framesPerUnit,
      int batch, int maxFrames) throws InterruptedException {
    int sent = 0;
    for (long round = 1; sent < maxFrames && !c.ended(); round++) {
      for (int i = 0; i < batch && sent < maxFrames; i++) {
        if (!c.send(frame.apply(sent / framesPerUnit))) {
          return sent;
        }
        sent += framesPerUnit;
      }
      c.sync(round, Duration.ofSeconds(10));
    }
    return sent;
  }

  @Test
  void rapidReset() throws Exception {
    try (Http2FrameClient c = Http2FrameClient.connect(https, "app.test", caPem, 1 << 16).startReading()) {
      int sent = syncedFlood(c, i -> frames(
          frame(HEADERS, END_HEADERS | END_STREAM, 2 * i + 1, requestBlock("GET", "/rapid-reset", "app.test")),
          frame(RST_STREAM, 0, 2 * i + 1, ByteBuffer.allocate(4).putInt(CANCEL).array())),
          2, 20, 20_000);
      report(sent, c);
      assertThat(c.goAwayError()).isEqualTo(ENHANCE_YOUR_CALM);
      assertThat(sent).as("frames sent until GOAWAY").isLessThanOrEqualTo(RAPID_RESET_FRAME_BOUND);
    }
  }

  @Test
  void continuationFlood() throws Exception {
    try (Http2FrameClient c = Http2FrameClient.connect(https, "app.test", caPem, 1 << 16).startReading()) {
      byte[] tiny = frame(CONTINUATION, 0, 1, field("x", "y"));
      int sent = 1;
      c.send(frame(HEADERS, 0, 1, requestBlock("GET", "/continuation", "app.test")));
      // No PING may interrupt a header block (RFC 9113 §6.10): a short wait after each few frames instead.
      while (sent < 4_000 && !c.awaitEnd(Duration.ofMillis(20)) && c.send(repeated(tiny, 4))) {
        sent += 4;
      }
      report(sent, c);
      assertThat(c.goAwayError()).isEqualTo(ENHANCE_YOUR_CALM);
      assertThat(sent).as("frames sent until GOAWAY").isLessThanOrEqualTo(CONTINUATION_FRAME_BOUND);
    }
    assertThat(upstream.requests()).noneMatch(r -> r.contains("/continuation"));
  }

  @Test
  void emptyDataFlood() throws Exception {
    try (Http2FrameClient c = Http2FrameClient.connect(https, "app.test", caPem, 1 << 16).startReading()) {
      c.send(frame(HEADERS, END_HEADERS, 1, requestBlock("POST", "/empty-data", "app.test",
          field("content-type", "application/octet-stream"))));
      int sent = 1 + syncedFlood(c, i -> frame(DATA, 0, 1, new byte[0]), 1, 1, 10_000);
      report(sent, c);
      assertThat(c.goAwayError()).isEqualTo(ENHANCE_YOUR_CALM);
      assertThat(sent).as("frames sent until GOAWAY").isLessThanOrEqualTo(EMPTY_DATA_FRAME_BOUND);
    }
    assertThat(upstream.requests()).noneMatch(r -> r.contains("/empty-data"));
  }

  @Test
  void settingsFloodFromAClientThatNeverReads() throws Exception {
    unreadControlFlood(frame(SETTINGS, 0, 0, new byte[0]));
  }

  @Test
  void pingFloodFromAClientThatNeverReads() throws Exception {
    unreadControlFlood(frame(PING, 0, 0, new byte[8]));
  }

  /**
   * CVE-2019-9512/-9515: every frame asks for an acknowledgement the client never reads; the server must stop
   * queueing them. Sends in writes of 1,000 frames until a write fails, then reads what arrived.
   */
  private void unreadControlFlood(byte[] oneFrame) throws Exception {
    try (Http2FrameClient c = Http2FrameClient.connect(https, "app.test", caPem, 4 << 10)) {
      byte[] thousand = repeated(oneFrame, 1_000);
      int sent = 0;
      while (sent < 2 * UNREAD_CONTROL_FRAME_BOUND && c.send(thousand)) {
        sent += 1_000;
      }
      c.startReading();
      assertThat(c.awaitEnd(Duration.ofSeconds(30))).as("connection ended").isTrue();
      report(sent, c);
      assertThat(sent).as("frames sent until the connection ended").isLessThanOrEqualTo(UNREAD_CONTROL_FRAME_BOUND);
    }
  }

  private void report(int sent, Http2FrameClient c) {
    System.out.println("[flood memory] " + flood + ": " + sent + " frames sent, GOAWAY error " + c.goAwayError());
  }

  /** Samples VmRSS of a process every 10 ms; {@link #stop} returns the peak minus the first sample, in KiB. */
  private static final class RssSampler {
    private final Path status;
    private final long baseline;
    private final AtomicLong peak = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;

    RssSampler(long pid) {
      status = Path.of("/proc", Long.toString(pid), "status");
      baseline = rssKib();
      peak.set(baseline);
      thread = new Thread(() -> {
        while (running) {
          peak.accumulateAndGet(rssKib(), Math::max);
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "rss-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    long stop() throws InterruptedException {
      running = false;
      thread.join();
      peak.accumulateAndGet(rssKib(), Math::max);
      return peak.get() - baseline;
    }

    private long rssKib() {
      try {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
        throw new IllegalStateException("no VmRSS in " + status);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + status, e);
      }
    }
  }
}
