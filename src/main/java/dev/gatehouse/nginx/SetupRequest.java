package dev.gatehouse.nginx;

import dev.gatehouse.generate.Site;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Everything {@code nginx setup} needs besides the certificate source.
 *
 * @param site the site to serve; its {@code certDir} is replaced by the obtainer's live directory
 * @param stateDir where rollback points live (and certificates, for Gatehouse's own CA client)
 * @param dnsServer a DNS server to check the names with instead of the system resolver
 * @param dnsCheck false to skip "every name resolves to this host" (a load balancer in front)
 * @param checkAddress where the network checks connect, with the site's names as SNI and Host
 */
public record SetupRequest(
    Site site,
    NginxPaths nginx,
    Path stateDir,
    Optional<String> dnsServer,
    boolean dnsCheck,
    String checkAddress,
    RenewalInstaller.Settings renewal) {}
