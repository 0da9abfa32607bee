/**
 * The integration-test harness: real processes on 127.0.0.1, free ports, one temp directory per
 * instance, logs in files, everything {@link java.lang.AutoCloseable}.
 *
 * <ul>
 *   <li>{@link dev.gatehouse.testing.DjangoApp}: the test site ({@code src/test/django}) under Gunicorn or
 *       Uvicorn, Django 3.2 (Debian) or 5.2 (venv), settings planted through {@code DJANGO_*} variables.
 *   <li>{@link dev.gatehouse.testing.Pebble}: the ACME test CA with challtestsrv as its DNS.
 *   <li>{@link dev.gatehouse.testing.Nginx}: nginx in its own prefix.
 *   <li>{@link dev.gatehouse.testing.GatehouseProcess}: the shaded jar, run as a user runs it.
 *   <li>Clients: {@link dev.gatehouse.testing.Curl} (a user's view, names resolved to 127.0.0.1) and
 *       {@link dev.gatehouse.testing.RawHttp} (exact bytes, SNI and trust of your choosing).
 *   <li>Certificates: {@link dev.gatehouse.testing.TestCerts}, {@link dev.gatehouse.testing.Pems}.
 * </ul>
 *
 * <pre>{@code
 * try (DjangoApp app = DjangoApp.gunicornUnix(DjangoVersion.VENV_52, Map.of("DJANGO_CSRF_TRUSTED_ORIGINS", ""));
 *     GatehouseProcess gatehouse = GatehouseProcess.start(List.of("serve", "app.test", "--upstream", app.upstreamArg(),
 *         "--http-port", "" + http, "--https-port", "" + https, ...), http, https)) {
 *   CurlResult r = Curl.to("https://app.test:" + https + "/echo/").cacert(ca).run();
 * }
 * }</pre>
 *
 * <p>System properties: {@code gatehouse.venv} (Django 5.2 venv, default {@code .venv}),
 * {@code gatehouse.jar}, {@code gatehouse.djangoProject}, {@code gatehouse.keepTestDirs=true} (keep
 * instance directories and logs after the test).
 */
package dev.gatehouse.testing;
