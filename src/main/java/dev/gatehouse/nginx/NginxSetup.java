package dev.gatehouse.nginx;

import dev.gatehouse.certs.CertifiedKey;
import dev.gatehouse.generate.DjangoSettingsGenerator;
import dev.gatehouse.generate.GeneratedFile;
import dev.gatehouse.generate.NginxGenerator;
import dev.gatehouse.generate.Site;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code gatehouse nginx setup}: the certbot + nginx procedure of the classic guides as one command that
 * stops at the first failure and puts everything back. The order matters: nothing changes before the
 * preflight passes and the rollback point is taken; port 80 serves the webroot (and still the app) before
 * the CA is asked; the HTTPS site is written only once its certificate exists; and every change is checked
 * with {@code nginx -t} before nginx is told to load it.
 */
public final class NginxSetup {

  static final int STEPS = 13;

  private final SetupRequest request;
  private final CertificateObtainer obtainer;
  private final NginxBinary nginx;
  private final PortOwners ports;
  private final RollbackPoints points;
  private final Progress progress;
  private final PrintWriter out;

  /**
   * @param terminal whether {@code out} is a terminal (progress on one line per step) or a log
   */
  public NginxSetup(SetupRequest request, CertificateObtainer obtainer, PrintWriter out, boolean terminal, Clock clock) {
    this.request = request;
    this.obtainer = obtainer;
    this.nginx = new NginxBinary(request.nginx());
    this.ports = new PortOwners();
    this.points = new RollbackPoints(request.stateDir(), clock);
    this.progress = new Progress(out, terminal, STEPS);
    this.out = out;
  }

  /** What a successful setup leaves: the rollback point that undoes it, and warnings about the app. */
  public record Result(RollbackPoint point, List<String> warnings) {}

  /**
   * Runs every step under the {@link SetupLock} of the state directory: while another setup holds it, refuses at
   * once as preflight does, changing nothing. On failure after the rollback point was taken, restores it,
   * checks and reloads nginx, and throws with what failed and what was restored.
   */
  public Result run() throws SetupException {
    SetupLock lock = SetupLock.acquire(request.stateDir());
    try {
      return runLocked();
    } finally {
      lock.close();
    }
  }

  private Result runLocked() throws SetupException {
    Site requested = request.site();
    Site site = new Site(requested.names(), requested.upstream(), requested.statics(), requested.webroot(),
        obtainer.liveDirectory(), requested.maxBodyBytes(), requested.hsts(), requested.bind(),
        requested.httpPort(), requested.httpsPort());
    Path target = request.nginx().sitesDir().resolve(NginxGenerator.fileName(site));
    RenewalInstaller renewal = new RenewalInstaller(request.renewal());

    Preflight.Findings findings = progress.step(Preflight.STEP,
        () -> new Preflight(request, nginx, ports).run(target), Preflight.Findings::summary);
    NginxGenerator generator = new NginxGenerator(findings.version());
    List<Path> touched = new ArrayList<>(List.of(target));
    touched.addAll(findings.conflicts());
    touched.addAll(renewal.plannedFiles());
    RollbackPoint point = progress.step("back up " + touched.size() + " file(s) into a rollback point",
        () -> points.take(site.names(), touched), p -> p.dir().toString());
    try {
      List<String> warnings = changeEverything(site, generator, target, findings.conflicts(), renewal);
      try {
        point.setState(RollbackPoint.APPLIED);
      } catch (IOException e) {
        throw new SetupException("record the rollback point", e.getMessage());
      }
      progress.line("done: https://" + site.names().get(0) + site.httpsPortSuffix()
          + "/ is served by nginx. Undo with `gatehouse nginx rollback " + point.id() + "`.");
      warnings.forEach(w -> progress.line("warning: " + w));
      progress.line("");
      progress.line("Apply these Django settings (also: gatehouse generate django):");
      out.print(new DjangoSettingsGenerator().settings(site.names(), site.httpsPort(), site.hsts()).content());
      out.flush();
      return new Result(point, warnings);
    } catch (SetupException failure) {
      throw restore(point, failure);
    }
  }

  private List<String> changeEverything(
      Site site, NginxGenerator generator, Path target, List<Path> conflicts, RenewalInstaller renewal)
      throws SetupException {
    progress.step("write the port-80 site " + target + " (ACME webroot, app over HTTP)", () -> {
      Files.createDirectories(site.webroot(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      generator.httpOnly(site).writeTo(target);
      for (Path conflict : conflicts) {
        Files.delete(conflict);
      }
      return conflicts.isEmpty() ? "" : "disabled " + String.join(", ", conflicts.stream().map(Path::toString).toList());
    });
    checkConfig();
    reload();
    progress.step("nginx serves the ACME webroot on port " + site.httpPort(),
        () -> new SiteVerifier(site, request.checkAddress()).webrootServed());
    CertifiedKey key = progress.step("obtain the certificate from " + obtainer.describe() + " (http-01 by webroot)",
        () -> obtainer.obtain(site.names(), site.webroot()),
        k -> "serial " + k.serialHex() + ", valid until " + k.notAfter());
    progress.step("write the HTTPS site " + target, () -> {
      GeneratedFile https = generator.https(site);
      https.writeTo(target);
      return site.fullchain().toString();
    });
    checkConfig();
    reload();
    List<String> warnings = new ArrayList<>(progress.step("verify over the network (redirect, certificate, app, HSTS)",
        () -> new SiteVerifier(site, request.checkAddress()).httpsServed(key.leaf()),
        w -> w.isEmpty() ? "" : w.size() + " warning(s)"));
    warnings.addAll(progress.step("audit the live site (gatehouse audit checks)",
        () -> new SetupAudit(site, request.checkAddress()).run(key),
        w -> w.isEmpty() ? "" : w.size() + " warning(s)"));
    progress.step("install renewal with `" + request.nginx().reloadCommand() + "` as deploy hook",
        () -> renewal.install(request.nginx().reloadCommand()));
    return warnings;
  }

  private void checkConfig() throws SetupException {
    progress.step("nginx -t", () -> {
      NginxBinary.Run r = nginx.test();
      if (!r.ok()) {
        throw new SetupException("nginx -t", NginxRollback.firstError(r.messages()));
      }
      return "";
    });
  }

  private void reload() throws SetupException {
    progress.step("reload nginx", () -> {
      nginx.reload();
      return "";
    });
  }

  private SetupException restore(RollbackPoint point, SetupException failure) {
    try {
      NginxRollback.Outcome outcome = new NginxRollback(nginx).restore(point);
      progress.line("restored rollback point " + point.id() + ": " + outcome.summary());
      return failure.withRestored("rollback point " + point.id() + ": " + outcome.summary());
    } catch (IOException e) {
      progress.line("could not restore rollback point " + point.id() + ": " + e.getMessage()
          + "; its files are in " + point.dir());
      return failure.withRestored("NOT restored (" + e.getMessage() + "): the saved files are in " + point.dir());
    }
  }
}
