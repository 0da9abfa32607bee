package dev.gatehouse.proxy;

import dev.gatehouse.config.Upstream;
import dev.gatehouse.testing.DjangoApp;
import dev.gatehouse.testing.DjangoVersion;
import java.util.Map;

/** Django 3.2 from Debian under Gunicorn (sync workers) on a Unix socket, the classic deployment. */
class ServeDjango32GunicornUnixIT extends AbstractServeIT {

  @Override
  DjangoApp startDjango() {
    return DjangoApp.gunicornUnix(DjangoVersion.DEBIAN_32, Map.of());
  }

  @Override
  Upstream upstreamOf(DjangoApp app) {
    return new Upstream.UnixSocket(app.socket());
  }
}
