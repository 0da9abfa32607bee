package dev.gatehouse.cli;

import dev.gatehouse.acme.AcmeIssuer;
import dev.gatehouse.acme.Http01Responder;
import dev.gatehouse.acme.Http01Solver;
import dev.gatehouse.acme.IssuanceProgress;
import dev.gatehouse.acme.StandaloneHttp01Server;
import dev.gatehouse.acme.WebrootHttp01Responder;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.certs.Issuer;
import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.localca.LocalCaIssuer;
import dev.gatehouse.store.Storage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The issuer for one {@code certs} run, from a {@link CertsRenewalConfig}: the local CA, or an {@link
 * AcmeIssuer} answering http-01 from a webroot or its own standalone listener (open until {@link #close})
 * and dns-01 through the hook.
 */
final class CertsIssuerSession implements AutoCloseable {

  private final Issuer issuer;
  private final Optional<StandaloneHttp01Server> standalone;

  private CertsIssuerSession(Issuer issuer, Optional<StandaloneHttp01Server> standalone) {
    this.issuer = issuer;
    this.standalone = standalone;
  }

  /**
   * @param dryRun order from Let's Encrypt's staging CA instead of production, as certbot's {@code --dry-run}
   * @throws UsageException when the standalone port cannot be listened on
   * @throws ConfigException for unusable ACME settings (a trust anchor file)
   */
  static CertsIssuerSession open(CommandLine cl, Storage storage, CertsRenewalConfig config,
      Optional<String> eabHmac, boolean dryRun, IssuanceProgress progress) throws ConfigException {
    if (config.internal()) {
      return new CertsIssuerSession(new LocalCaIssuer(storage), Optional.empty());
    }
    AcmeSettings settings = config.acmeSettings(eabHmac);
    if (dryRun && settings.directory().equals(AcmeSettings.LETSENCRYPT)) {
      settings = new AcmeSettings(AcmeSettings.LETSENCRYPT_STAGING, settings.trustAnchors(), settings.email(),
          settings.eabKeyId(), settings.eabHmacKey(), settings.profile(), settings.keyType(), settings.dnsHook());
    }
    AcmeIssuer.Builder builder = AcmeIssuer.builder(settings, storage).progress(progress);
    Optional<StandaloneHttp01Server> server = Optional.empty();
    if (config.webroot().isPresent()) {
      builder.solver(new Http01Solver(new WebrootHttp01Responder(config.webroot().get())));
    }
    if (config.standalone().isPresent()) {
      InetSocketAddress address = CertsChallengeOptions.listenAddress(cl, config.standalone().get());
      ChallengeResponses responses = new ChallengeResponses();
      try {
        server = Optional.of(StandaloneHttp01Server.start(address, responses));
      } catch (IOException e) {
        throw new UsageException("--http-port: cannot listen on " + config.standalone().get() + " (" + e.getMessage()
            + "; expected: a free port; below 1024 needs root or CAP_NET_BIND_SERVICE)");
      }
      builder.solver(new Http01Solver(Http01Responder.inProcess(responses, "standalone port " + address)));
    }
    try {
      return new CertsIssuerSession(builder.build(), server);
    } catch (ConfigException | RuntimeException e) {
      server.ifPresent(StandaloneHttp01Server::close);
      throw e;
    }
  }

  Issuer issuer() {
    return issuer;
  }

  @Override
  public void close() {
    standalone.ifPresent(StandaloneHttp01Server::close);
  }
}
