package dev.gatehouse.admin;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the per-request metrics add to each request ({@link RequestMetrics#requestFinished}: a site lookup,
 * the status-class counter, the duration histogram, the body-bytes counter), to set against the proxy's CPU
 * time per request from {@code bench/run.sh}. Run with {@code bash bench/jmh.sh RequestMetrics}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RequestMetricsBenchmark {

  private RequestMetrics metrics;
  private long nanos;

  @Setup
  public void setUp() {
    metrics = new RequestMetrics(new PrometheusRegistry());
  }

  @Benchmark
  public void http11Ok() {
    metrics.requestFinished("app.example.com", "HTTP/1.1", 200, 1_200_000 + (nanos++ & 0xffff), 1024);
  }

  @Benchmark
  public void h2Ok() {
    metrics.requestFinished("app.example.com", "HTTP/2.0", 200, 1_200_000 + (nanos++ & 0xffff), 1024);
  }
}
