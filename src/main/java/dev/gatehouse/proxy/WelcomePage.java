package dev.gatehouse.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The page a site without {@code --upstream} serves: HTTPS works, and this is how to attach the app. */
final class WelcomePage {
  private WelcomePage() {}

  static final String HTML =
      """
      <!doctype html>
      <html lang="en"><head><meta charset="utf-8"><title>Gatehouse is running</title></head>
      <body>
      <h1>Gatehouse is running</h1>
      <p>HTTPS works for this site. No application server is configured yet, so this page is all there is.</p>
      <p>Point Gatehouse at your Django app with <code>--upstream</code>:</p>
      <pre>gunicorn --bind unix:/run/gunicorn.sock myproject.wsgi
      gatehouse serve example.com --upstream unix:/run/gunicorn.sock --static /static/=/srv/app/staticfiles</pre>
      <p>or, for Uvicorn on TCP: <code>--upstream 127.0.0.1:8000</code>.</p>
      </body></html>
      """;

  static FullHttpResponse response(ByteBufAllocator alloc) {
    ByteBuf body = alloc.buffer(HTML.length());
    body.writeCharSequence(HTML, StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
    response.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/html; charset=utf-8")
        .set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
    return response;
  }
}
