/**
 * The Netty server: {@link dev.gatehouse.proxy.GatehouseServer} is the entry point.
 *
 * <p>Pipelines, one handler per job (what each does is in its own documentation):
 *
 * <pre>
 * port 80   ReadTimeoutHandler → HttpServerCodec → HttpsRedirectHandler (ACME http-01, redirect, 400/421)
 * port 443  SniCertificateHandler (becomes SslHandler) → AlpnPipelineConfigurator, which then adds
 *   http/1.1  HttpServerCodec → OneMessagePerRead → HttpsRequestHandler
 *   h2        Http2FrameCodec → Http2MultiplexHandler → Http2DrainHandler; per stream:
 *             Http2StreamFrameToHttpObjectCodec → OneMessagePerRead → HttpsRequestHandler
 * upstream  HttpClientCodec → UpstreamConnection (pooled per event loop by UpstreamPool)
 * </pre>
 *
 * {@link dev.gatehouse.proxy.HttpsRequestHandler} turns each request into an exchange chosen by {@link
 * dev.gatehouse.proxy.RequestRouter}: a local page, a static file, or the upstream. Stricter request checks
 * (RFC 9112 framing, header-count limits, slow-client timeouts) belong between the codec and {@code
 * OneMessagePerRead}, where every request passes in both protocols; request-body buffering belongs in front of
 * {@code HttpsRequestHandler}, which only ever sees {@code HttpRequest}, {@code HttpContent} and {@code
 * LastHttpContent}.
 */
package dev.gatehouse.proxy;
