package dev.gatehouse.nginx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class NginxConfigDumpTest {

  private static final String DUMP =
      """
      # configuration file /etc/nginx/nginx.conf:
      pid /run/nginx.pid;
      http {
          include /etc/nginx/sites-enabled/*;
      }

      # configuration file /etc/nginx/sites-enabled/default:
      server {
          listen 80 default_server;
          server_name _;
          # server_name commented.example;
          return 301 https://$server_name$request_uri;
          server_name_in_redirect off;
      }

      # configuration file /etc/nginx/sites-enabled/app:
      server {
          server_name App.Example "www.app.example";  # trailing comment with server_name x;
          location / { add_header X-Note "# not a comment"; }
      }
      """;

  @Test
  void findsEveryServerNameDirectiveButNotCommentsOrVariables() {
    NginxConfigDump dump = NginxConfigDump.parse(DUMP);

    assertThat(dump.files()).containsExactly(
        Path.of("/etc/nginx/nginx.conf"), Path.of("/etc/nginx/sites-enabled/default"), Path.of("/etc/nginx/sites-enabled/app"));
    assertThat(dump.serverNames()).containsExactly(
        new NginxConfigDump.ServerNames(Path.of("/etc/nginx/sites-enabled/default"), List.of("_")),
        new NginxConfigDump.ServerNames(Path.of("/etc/nginx/sites-enabled/app"), List.of("app.example", "www.app.example")));
  }

  @Test
  void conflictsAreTheFilesServingOurNames() throws Exception {
    NginxConfigDump dump = NginxConfigDump.parse(DUMP);
    Path sites = Path.of("/etc/nginx/sites-enabled");

    assertThat(SiteConflicts.find(dump, List.of("app.example", "www.app.example"), sites, sites.resolve("gatehouse-app.example.conf"), "preflight"))
        .containsExactly(sites.resolve("app"));
    assertThat(SiteConflicts.find(dump, List.of("app.example", "www.app.example"), sites, sites.resolve("app"), "preflight"))
        .as("the file setup writes itself is not a conflict").isEmpty();
    assertThatThrownBy(() -> SiteConflicts.find(dump, List.of("app.example"), sites, sites.resolve("x.conf"), "preflight"))
        .isInstanceOf(SetupException.class)
        .hasMessageContaining("/etc/nginx/sites-enabled/app serves www.app.example too");
    assertThatThrownBy(() -> SiteConflicts.find(dump, List.of("app.example"), Path.of("/etc/nginx/conf.d"), Path.of("/x"), "preflight"))
        .isInstanceOf(SetupException.class)
        .hasMessageContaining("is outside /etc/nginx/conf.d");
  }

  @Test
  void firstErrorIsNginxsOwnLine() {
    assertThat(NginxRollback.firstError(
        "nginx: [emerg] no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive in /x/a.conf:1\n"
            + "nginx: configuration file /x/nginx.conf test failed\n"))
        .isEqualTo("no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive in /x/a.conf:1");
    assertThat(NginxRollback.firstError(
        "2026/11/22 21:35:50 [emerg] 8892#8892: unknown directive \"bogus\" in /x/a.conf:3\n"))
        .isEqualTo("unknown directive \"bogus\" in /x/a.conf:3");
  }
}
