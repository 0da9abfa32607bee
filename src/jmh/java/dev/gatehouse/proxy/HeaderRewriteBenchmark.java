package dev.gatehouse.proxy;

import dev.gatehouse.config.Cidr;
import dev.gatehouse.config.ConfigException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
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
 * The header rewrite every proxied request and response goes through ({@link UpstreamMessages}, which
 * applies {@link HopByHop} and {@link ForwardedHeaders}), on the headers a browser sends to a Django site
 * and those Django answers with. Run with {@code bash bench/jmh.sh}; see BENCHMARKS.md.
 *
 * <p>{@code responseHeadCopy} is the cost of building a fresh response head (a rewrite changes it in
 * place); subtract it from {@code responseRewrite}. {@code requestFromCurl} is the load generator's request
 * (three fields), the floor of the request rewrite: the fields Gatehouse writes itself.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class HeaderRewriteBenchmark {

  private HttpRequest browserRequest;
  private HttpRequest curlRequest;
  private HttpRequest behindLoadBalancer;
  private RequestTarget target;
  private ForwardedHeaders.Client client;
  private ForwardedHeaders.Client loadBalancer;
  private List<Cidr> trusted;
  private HttpHeaders djangoResponseHeaders;

  @Setup
  public void setUp() throws UnknownHostException, ConfigException {
    browserRequest = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/accounts/profile/?tab=security");
    browserRequest
        .headers()
        .add("Host", "app.example.com")
        .add("Connection", "keep-alive")
        .add("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
        .add("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
        .add("Accept-Language", "en-GB,en;q=0.5")
        .add("Accept-Encoding", "gzip, deflate, br, zstd")
        .add("Referer", "https://app.example.com/accounts/")
        .add("Cookie", "csrftoken=Jq1lZ3wX8m0aPq2Vd9sKf7Tn4Yb6Rc5E; sessionid=5k2m8q1z7x4c9v3b6n0a")
        .add("Upgrade-Insecure-Requests", "1")
        .add("Sec-Fetch-Dest", "document")
        .add("Sec-Fetch-Mode", "navigate")
        .add("Sec-Fetch-Site", "same-origin")
        .add("Sec-Fetch-User", "?1")
        .add("Priority", "u=0, i")
        // A spoofing attempt, which must be dropped.
        .add("X-Forwarded-For", "10.0.0.1");
    target = RequestTarget.of(browserRequest).orElseThrow();

    curlRequest = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/accounts/profile/?tab=security");
    curlRequest.headers().add("Host", "app.example.com").add("User-Agent", "curl/7.88.1").add("Accept", "*/*");
    client = ForwardedHeaders.Client.of(InetAddress.getByName("203.0.113.9"), 443);

    behindLoadBalancer = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/accounts/profile/");
    behindLoadBalancer.headers().set(browserRequest.headers());
    behindLoadBalancer
        .headers()
        .set("X-Forwarded-For", "198.51.100.7, 10.0.0.3")
        .set("X-Forwarded-Proto", "https")
        .set("X-Forwarded-Host", "app.example.com");
    loadBalancer = ForwardedHeaders.Client.of(InetAddress.getByName("10.0.0.2"), 443);
    trusted = List.of(Cidr.parse("--trusted-proxy", "10.0.0.0/8"));

    djangoResponseHeaders = new DefaultHttpHeaders();
    djangoResponseHeaders
        .add("Server", "gunicorn")
        .add("Date", "Sat, 22 Nov 2026 22:00:00 GMT")
        .add("Connection", "keep-alive")
        .add("Content-Type", "text/html; charset=utf-8")
        .add("Content-Length", "5123")
        .add("Vary", "Cookie, Accept-Language")
        .add("X-Frame-Options", "DENY")
        .add("X-Content-Type-Options", "nosniff")
        .add("Referrer-Policy", "same-origin")
        .add("Cross-Origin-Opener-Policy", "same-origin")
        .add("Content-Language", "en")
        .add("Set-Cookie", "csrftoken=Jq1lZ3wX8m0aPq2Vd9sKf7Tn4Yb6Rc5E; expires=Sat, 21 Nov 2027 22:00:00 GMT; "
            + "Max-Age=31449600; Path=/; SameSite=Lax; Secure");
  }

  @Benchmark
  public HttpRequest requestFromBrowser() {
    return UpstreamMessages.request(browserRequest, target, client, List.of(), false);
  }

  @Benchmark
  public HttpRequest requestFromCurl() {
    return UpstreamMessages.request(curlRequest, target, client, List.of(), false);
  }

  @Benchmark
  public HttpRequest requestBehindTrustedProxy() {
    return UpstreamMessages.request(behindLoadBalancer, target, loadBalancer, trusted, false);
  }

  @Benchmark
  public HttpResponse responseHeadCopy() {
    return new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, djangoResponseHeaders.copy());
  }

  @Benchmark
  public HttpResponse responseRewrite() {
    HttpResponse response =
        new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, djangoResponseHeaders.copy());
    UpstreamMessages.response(response, false, true);
    return response;
  }

  @Benchmark
  public HttpHeaders hopByHopStrip() {
    HttpHeaders headers = browserRequest.headers().copy();
    HopByHop.strip(headers);
    return headers;
  }
}
