package dev.gatehouse.proxy;

import dev.gatehouse.config.AccessLogFormat;
import dev.gatehouse.config.Hostnames;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.config.SiteConfig;
import dev.gatehouse.config.StaticMount;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.util.List;
import java.util.Optional;

/**
 * Decides what answers an HTTPS request, in this order: a request the decoder could not parse (400, 414,
 * 431); a missing or malformed Host (400); a host no site serves (421, RFC 9110 §15.5.20); framing the
 * proxy will not pass on (400, 417, 413 by Content-Length); the longest matching static mount; the site's
 * upstream; the built-in page that says how to point Gatehouse at an app.
 */
final class RequestRouter {
  private RequestRouter() {}

  static Exchange route(ClientStream front, HttpRequest request) {
    ServerRuntime runtime = front.runtime();
    ServeConfig config = runtime.config();
    RequestInfo info =
        new RequestInfo(
            front.clientAddress(),
            front.localPort(),
            request.method().name(),
            request.uri(),
            front.isHttp2() ? "HTTP/2.0" : request.protocolVersion().text(),
            Optional.empty(),
            Optional.empty(),
            System.nanoTime(),
            RequestInfo.now(),
            request.headers().get(HttpHeaderNames.REFERER),
            request.headers().get(HttpHeaderNames.USER_AGENT),
            config.accessLogFormat() == AccessLogFormat.JSON ? front.tlsVersion() : null);
    if (request.decoderResult().isFailure()) {
      return LocalExchange.failure(front, request, info, ErrorPages.forDecoderFailure(request.decoderResult().cause()));
    }
    Optional<RequestTarget> target = RequestTarget.of(request);
    if (target.isEmpty()) {
      return LocalExchange.failure(front, request, info, ProxyFailure.BAD_REQUEST);
    }
    Optional<SiteConfig> site = runtime.siteFor(target.get().host());
    if (site.isEmpty()) {
      return LocalExchange.failure(front, request, info, ProxyFailure.MISDIRECTED);
    }
    String name = configuredName(site.get(), target.get().host());
    info = info.withHost(target.get().host(), runtime.strictTransportSecurity(name));

    Optional<ProxyFailure> framing = checkFraming(request, config.limits().maxBodyBytes());
    if (framing.isPresent()) {
      return LocalExchange.failure(front, request, info, framing.get());
    }
    Optional<StaticMount> mount = longestMount(site.get().statics(), target.get().rawPath());
    if (mount.isPresent()) {
      return new StaticFileExchange(front, request, info, mount.get(), target.get());
    }
    if (site.get().upstream().isPresent()) {
      return new UpstreamExchange(front, request, info, site.get().upstream().get(), target.get());
    }
    return LocalExchange.welcome(front, request, info);
  }

  /**
   * RFC 9112 §6.1: the only transfer coding passed on is a lone {@code chunked} (anything else could be
   * read differently upstream); RFC 9110 §10.1.1: the only expectation is {@code 100-continue}; a declared
   * body over the limit is refused before it is read.
   */
  private static Optional<ProxyFailure> checkFraming(HttpRequest request, long maxBodyBytes) {
    List<String> codings = request.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (!codings.isEmpty()
        && (codings.size() != 1 || !codings.get(0).trim().equalsIgnoreCase(HttpHeaderValues.CHUNKED.toString()))) {
      return Optional.of(ProxyFailure.BAD_REQUEST);
    }
    String expect = request.headers().get(HttpHeaderNames.EXPECT);
    if (expect != null && !expect.trim().equalsIgnoreCase(HttpHeaderValues.CONTINUE.toString())) {
      return Optional.of(ProxyFailure.EXPECTATION_FAILED);
    }
    long length;
    try {
      length = HttpUtil.getContentLength(request, -1L);
    } catch (NumberFormatException e) {
      return Optional.of(ProxyFailure.BAD_REQUEST);
    }
    if (length > maxBodyBytes) {
      return Optional.of(ProxyFailure.BODY_TOO_LARGE);
    }
    return Optional.empty();
  }

  /** The site name that matched {@code host}: the exact name, else the wildcard (the HSTS ramp's key). */
  static String configuredName(SiteConfig site, String host) {
    return site.names().contains(host)
        ? host
        : site.names().stream().filter(n -> Hostnames.matches(n, host)).findFirst().orElse(host);
  }

  /** The mount with the longest prefix of {@code rawPath}; the first of equals. A loop: this runs per request. */
  static Optional<StaticMount> longestMount(List<StaticMount> mounts, String rawPath) {
    StaticMount best = null;
    for (StaticMount m : mounts) {
      if (rawPath.startsWith(m.prefix()) && (best == null || m.prefix().length() > best.prefix().length())) {
        best = m;
      }
    }
    return Optional.ofNullable(best);
  }
}
