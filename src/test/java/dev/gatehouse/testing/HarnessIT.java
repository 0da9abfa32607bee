package dev.gatehouse.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The harness itself: every part starts, answers as a user would see it, and stops. */
class HarnessIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void django32UnderGunicornOnUnixSocketTrustsForwardedProto() throws Exception {
        try (DjangoApp app = DjangoApp.gunicornUnix(DjangoVersion.DEBIAN_32, Map.of())) {
            assertThat(app.upstreamArg()).isEqualTo("unix:" + app.socket());

            CurlResult echo = Curl.to("http://app.test/echo/").unixSocket(app.socket())
                    .header("X-Forwarded-Proto", "https").run();

            assertThat(echo.status()).as(echo.toString()).isEqualTo(200);
            JsonNode json = JSON.readTree(echo.body());
            assertThat(json.get("is_secure").asBoolean()).isTrue();
            assertThat(json.get("host").asText()).isEqualTo("app.test");
            assertThat(json.get("absolute_uri").asText()).isEqualTo("https://app.test/echo/");
            assertThat(json.get("HTTP_X_FORWARDED_PROTO").asText()).isEqualTo("https");
            assertThat(Curl.to("http://app.test/admin/login/").unixSocket(app.socket()).run().status())
                    .isEqualTo(200);
        }
    }

    @Test
    void django52UnderUvicornOnTcpTakesSettingsFromEnvironment() throws Exception {
        try (DjangoApp app = DjangoApp.uvicornTcp(DjangoVersion.VENV_52, Map.of("DJANGO_ALLOWED_HOSTS", "app.test"))) {
            assertThat(app.upstreamArg()).isEqualTo("127.0.0.1:" + app.port());

            CurlResult echo = Curl.to(app.url("/echo/")).header("Host", "app.test")
                    .header("X-Forwarded-Proto", "https").run();
            CurlResult otherHost = Curl.to(app.url("/echo/")).header("Host", "evil.test").run();

            assertThat(echo.status()).as(echo.toString()).isEqualTo(200);
            JsonNode json = JSON.readTree(echo.body());
            // Uvicorn's --proxy-headers turns X-Forwarded-Proto from 127.0.0.1 into the ASGI scheme itself.
            assertThat(json.get("is_secure").asBoolean()).isTrue();
            assertThat(json.get("remote_addr").asText()).isEqualTo("127.0.0.1");
            assertThat(otherHost.status()).as("ALLOWED_HOSTS from DJANGO_ALLOWED_HOSTS").isEqualTo(400);
            assertThat(Curl.to(app.url("/admin/login/")).header("Host", "app.test").run().status()).isEqualTo(200);
        }
    }

    @Test
    void djangoComesBackAfterStop() {
        try (DjangoApp app = DjangoApp.builder(DjangoVersion.DEBIAN_32).gunicorn().unixSocket().workers(1).start()) {
            app.stop();
            assertThat(Curl.to("http://app.test/echo/").unixSocket(app.socket()).run().transferred()).isFalse();
            app.start();
            assertThat(Curl.to("http://app.test/echo/").unixSocket(app.socket()).run().status()).isEqualTo(200);
        }
    }
}
