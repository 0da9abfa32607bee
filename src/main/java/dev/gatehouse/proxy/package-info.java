/**
 * The Netty server: {@link dev.gatehouse.proxy.GatehouseServer} is the entry point.
 *
 * <p>Pipelines, one handler per job (what each does is in its own documentation):
 *
 * <pre>
 * both      ConnectionsPerAddress (optional per-IP cap) → WriteTimeoutHandler (slow read)
 * port 80   ReadTimeoutHandler → StrictRequestFraming → HttpServerCodec → HttpsRedirectHandler
 *           (ACME http-01, redirect, 400/421)
 * port 443  SniCertificateHandler (becomes SslHandler) → AlpnPipelineConfigurator, which then adds
 *   http/1.1  StrictRequestFraming → HttpServerCodec → OneMessagePerRead → RequestBodyBuffer
 *             → HttpsRequestHandler
 *   h2        Http2FrameCodec (flood limits) → Http2MultiplexHandler → Http2DrainHandler; per stream:
 *             Http2RequestCodec → OneMessagePerRead → RequestBodyBuffer → HttpsRequestHandler (a request
 *             without body: Http2RequestCodec → HttpsRequestHandler)
 * upstream  HttpClientCodec → UpstreamConnection (pooled per event loop by UpstreamPool)
 * </pre>
 *
 * {@link dev.gatehouse.proxy.HttpsRequestHandler} turns each request into an exchange chosen by {@link
 * dev.gatehouse.proxy.RequestRouter}: a local page, a static file, or the upstream. {@link
 * dev.gatehouse.proxy.StrictRequestFraming} checks HTTP/1.1 framing on the raw bytes (RFC 9112) and times the
 * request head and body; HTTP/2 framing is Netty's codec with its flood limits. {@link
 * dev.gatehouse.proxy.RequestBodyBuffer} reads request bodies whole before the upstream sees them, in both
 * protocols; {@code HttpsRequestHandler} only ever sees {@code HttpRequest}, {@code HttpContent} and {@code
 * LastHttpContent}.
 */
package dev.gatehouse.proxy;
