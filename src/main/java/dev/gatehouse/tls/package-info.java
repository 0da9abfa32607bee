/**
 * TLS for the HTTPS listener: Mozilla-intermediate {@code SslContext}s ({@link
 * dev.gatehouse.tls.ServerSslContextFactory}), one per certificate, chosen per ClientHello by SNI and ALPN
 * ({@link dev.gatehouse.tls.CertificateSelector}, {@link dev.gatehouse.tls.SniCertificateHandler}),
 * including RFC 8737 tls-alpn-01 answers. Certificates change by replacing them in the {@code
 * CertificateCache}; nothing here reads files or blocks an event loop.
 */
package dev.gatehouse.tls;
