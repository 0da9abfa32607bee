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
 *   h2        FlushConsolidationHandler → Http2ServerConnection (one handler for the connection: frames,
 *             flood limits, flow control) → Http2DrainHandler; each stream is an Http2ServerStream object
 *             (no channel): Http2RequestHeads converts its head, a RequestBodyBuffer takes a body
 * upstream  HttpClientCodec → UpstreamConnection (pooled per event loop by UpstreamPool)
 * </pre>
 *
 * {@link dev.gatehouse.proxy.HttpsRequestHandler} (HTTP/1.1) and {@link dev.gatehouse.proxy.Http2ServerStream}
 * (HTTP/2) are the two {@link dev.gatehouse.proxy.ClientStream}s: each turns a request into an exchange chosen by
 * {@link dev.gatehouse.proxy.RequestRouter} (a local page, a static file, or the upstream), which reads the
 * body from it and writes the response to it as a {@link dev.gatehouse.proxy.ResponseSink}. {@link
 * dev.gatehouse.proxy.StrictRequestFraming} checks HTTP/1.1 framing on the raw bytes (RFC 9112) and times the
 * request head and body; HTTP/2 framing is Netty's codec with its flood limits. {@link
 * dev.gatehouse.proxy.RequestBodyBuffer} reads request bodies whole before the upstream sees them, in both
 * protocols; exchanges only ever see {@code HttpRequest}, {@code HttpContent} and {@code LastHttpContent}. A
 * request is in flight (counted, waited for by a drain) from its head on, or from the start of a body the buffer
 * reads ahead of the head ({@link dev.gatehouse.proxy.RequestPipe#bufferingStarted}).
 */
package dev.gatehouse.proxy;
