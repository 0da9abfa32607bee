package dev.gatehouse.config;

import java.util.List;
import java.util.Optional;

/**
 * One site: the names it answers to, where requests go, and where its certificate comes from. All names
 * share one certificate, the first name being its subject and the name its files are stored under
 * ({@code live/FIRST-NAME/}).
 *
 * @param upstream empty: serve the built-in page that says Gatehouse runs and how to point it at an app
 */
public record SiteConfig(
    List<String> names, Optional<Upstream> upstream, List<StaticMount> statics, CertificateSource certificate) {

  public SiteConfig {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a site needs at least one name");
    }
    names = List.copyOf(names);
    statics = List.copyOf(statics);
  }

  /** The name the certificate is stored under. */
  public String primaryName() {
    return names.get(0);
  }

  public boolean answers(String host) {
    return names.stream().anyMatch(n -> Hostnames.matches(n, host));
  }
}
