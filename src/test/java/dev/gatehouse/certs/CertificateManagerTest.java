package dev.gatehouse.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gatehouse.testing.MutableClock;
import dev.gatehouse.config.AccessLog;
import dev.gatehouse.config.AcmeSettings;
import dev.gatehouse.config.CertificateSource;
import dev.gatehouse.config.ConfigException;
import dev.gatehouse.config.HstsPolicy;
import dev.gatehouse.config.KeyType;
import dev.gatehouse.config.Limits;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.config.SiteConfig;
import dev.gatehouse.localca.LocalCaIssuer;
import dev.gatehouse.store.FileStorage;
import dev.gatehouse.store.StorageKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateManagerTest {

  private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");
  /** Long waits, so the manager's own timers (real time) never fire during a test: tests call checkNow. */
  private static final RetryBackoff BACKOFF = new RetryBackoff(Duration.ofHours(1), Duration.ofHours(6), 3);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(START);
  private FileStorage storage;
  private LocalCaIssuer ca;
  private CountingIssuer issuer;
  private CertificateCache cache;
  private LogCapture log;
  private final List<CertificateManager> managers = new ArrayList<>();

  @BeforeEach
  void setUp() throws Exception {
    storage = new FileStorage(dir.resolve("state"));
    ca = new LocalCaIssuer(storage, clock);
    issuer = new CountingIssuer(ca);
    cache = new CertificateCache();
    log = new LogCapture(CertificateManager.class);
  }

  @AfterEach
  void tearDown() {
    managers.forEach(CertificateManager::close);
    log.close();
  }

  private static ServeConfig config(SiteConfig... sites) {
    return new ServeConfig(
        List.of(sites), "127.0.0.1", 0, 0, Path.of("unused"), HstsPolicy.DEFAULT, 0, Limits.DEFAULTS, List.of(),
        new AccessLog.Off(), AcmeSettings.DEFAULT);
  }

  private static SiteConfig localSite(String... names) {
    return new SiteConfig(List.of(names), Optional.empty(), List.of(), new CertificateSource.LocalCa());
  }

  private CertificateManager manager(ServeConfig config) {
    return manager(config, IssuanceLimits.DEFAULT);
  }

  private CertificateManager manager(ServeConfig config, IssuanceLimits limits) {
    return node(config, storage, cache, limits);
  }

  /** A manager as one node of a cluster runs it: its own storage handle and cache, the shared issuer. */
  private CertificateManager node(
      ServeConfig config, FileStorage storage, CertificateCache cache, IssuanceLimits limits) {
    CertificateManager manager =
        new CertificateManager(
            config, storage, cache, IssuerSelector.bySource(issuer, Optional.empty()),
            new RenewalPolicy(clock, new Random(1)), BACKOFF, limits);
    managers.add(manager);
    return manager;
  }

  /** What another node (or {@code certs renew}) does on the same storage: issue and store, in its own process. */
  private CertifiedKey storedByAnotherProcess(String name) throws Exception {
    FileStorage theirs = new FileStorage(dir.resolve("state"));
    CertifiedKey key = new LocalCaIssuer(theirs, clock)
        .issue(new IssueRequest(List.of(name), KeyType.ECDSA_P256, Optional.empty()));
    new CertificateStore(theirs).save(name, key, "local CA");
    return key;
  }

  private String servedSerial(String name) {
    return cache.lookup(name).orElseThrow().serialHex();
  }

  private static IssuanceException failure(String message) {
    return new IssuanceException(message);
  }

  @Test
  void issuesOnFirstStartOnTheManagersOwnThread() throws Exception {
    manager(config(localSite("app.localhost", "www.app.localhost"))).start().get(30, TimeUnit.SECONDS);

    assertThat(issuer.issued).hasValue(1);
    assertThat(issuer.threads).allMatch(t -> t.startsWith("gatehouse-certs-"));
    assertThat(cache.lookup("www.app.localhost")).isPresent();
    assertThat(new CertificateStore(storage).load("app.localhost").orElseThrow().serialHex())
        .isEqualTo(servedSerial("app.localhost"));
    assertThat(log.at(Level.INFO)).anyMatch(l -> l.startsWith("INFO certificate for app.localhost, www.app.localhost"
        + " issued: serial " + servedSerial("app.localhost") + ", issuer local CA"));
  }

  @Test
  void aRestartReusesTheStoredCertificateWithoutAskingTheIssuer() throws Exception {
    CertificateManager first = manager(config(localSite("app.localhost")));
    first.start().get(30, TimeUnit.SECONDS);
    String serial = servedSerial("app.localhost");
    first.close();
    cache = new CertificateCache();
    clock.advance(Duration.ofDays(1));

    CertificateManager second = manager(config(localSite("app.localhost")));
    second.start();
    assertThat(servedSerial("app.localhost")).as("served as soon as start returns").isEqualTo(serial);
    second.checkNow().get(30, TimeUnit.SECONDS);

    assertThat(issuer.attempts).hasValue(1);
    assertThat(servedSerial("app.localhost")).isEqualTo(serial);
    assertThat(log.lines()).anyMatch(l -> l.contains("reused from storage: serial " + serial));
  }

  @Test
  void aTruncatedStoredCertificateIsLoggedAndIssuedAgain() throws Exception {
    manager(config(localSite("app.localhost"))).start().get(30, TimeUnit.SECONDS);
    managers.get(0).close();
    Path fullchain = storage.pathOf(StorageKeys.fullchain("app.localhost"));
    byte[] bytes = Files.readAllBytes(fullchain);
    Files.write(fullchain, Arrays.copyOf(bytes, bytes.length / 2));

    manager(config(localSite("app.localhost"))).start().get(30, TimeUnit.SECONDS);

    assertThat(log.at(Level.WARNING))
        .anyMatch(l -> l.startsWith("WARNING stored certificate for app.localhost is unusable"
            + " (live/app.localhost/fullchain.pem: truncated or corrupt PEM"))
        .anyMatch(l -> l.endsWith("; issuing a new one"));
    assertThat(issuer.issued).hasValue(2);
    assertThat(new CertificateStore(storage).load("app.localhost")).isPresent();
  }

  @Test
  void aStoredCertificateMissingANewNameIsReplaced() throws Exception {
    manager(config(localSite("app.localhost"))).start().get(30, TimeUnit.SECONDS);
    managers.get(0).close();

    manager(config(localSite("app.localhost", "api.app.localhost"))).start().get(30, TimeUnit.SECONDS);

    assertThat(issuer.issued).hasValue(2);
    assertThat(cache.lookup("api.app.localhost").orElseThrow().names()).contains("api.app.localhost");
  }

  @Test
  void aStoredCertificateFromAnotherCaIsReplaced() throws Exception {
    CertifiedKey staging = ca.issue(new IssueRequest(List.of("app.localhost"), KeyType.ECDSA_P256, Optional.empty()));
    new CertificateStore(storage).save("app.localhost", staging, "letsencrypt-staging");

    manager(config(localSite("app.localhost"))).start().get(30, TimeUnit.SECONDS);

    assertThat(issuer.issued).hasValue(1);
    assertThat(servedSerial("app.localhost")).isNotEqualTo(staging.serialHex());
    assertThat(log.lines())
        .anyMatch(l -> l.contains("it was issued by letsencrypt-staging and this site now uses local CA"));
  }

  @Test
  void aDueCertificateIsRenewedAndReplacesTheCacheEntry() throws Exception {
    CertificateManager manager = manager(config(localSite("app.localhost")));
    manager.start().get(30, TimeUnit.SECONDS);
    String before = servedSerial("app.localhost");
    AtomicInteger changes = new AtomicInteger();
    cache.addListener(c -> changes.incrementAndGet());

    clock.advance(Duration.ofDays(3));
    manager.checkNow().get(30, TimeUnit.SECONDS);
    assertThat(servedSerial("app.localhost")).as("3 of 7 days: not due").isEqualTo(before);

    clock.advance(Duration.ofHours(13));
    manager.checkNow().get(30, TimeUnit.SECONDS);

    assertThat(servedSerial("app.localhost")).isNotEqualTo(before);
    assertThat(changes).hasValue(1);
    assertThat(issuer.issued).hasValue(2);
    assertThat(manager.status().get(0).schedule().orElseThrow().renewAt())
        .isEqualTo(cache.lookup("app.localhost").orElseThrow().notBefore().plus(Duration.ofMillis(
            cache.lookup("app.localhost").orElseThrow().lifetime().toMillis() / 2)));
  }

  @Test
  void aFailedRenewalKeepsTheCertificateAndBacksOff() throws Exception {
    CertificateManager manager = manager(config(localSite("app.localhost")));
    manager.start().get(30, TimeUnit.SECONDS);
    String before = servedSerial("app.localhost");
    clock.advance(Duration.ofDays(4));
    issuer.failNext(failure("CA said no\nsecond line"));

    manager.checkNow().get(30, TimeUnit.SECONDS);

    assertThat(servedSerial("app.localhost")).isEqualTo(before);
    Instant retry = clock.instant().plus(Duration.ofHours(1));
    assertThat(log.at(Level.WARNING))
        .contains("WARNING renewing the certificate for app.localhost failed (local CA): CA said no second line;"
            + " keeping the current one (valid until " + cache.lookup("app.localhost").orElseThrow().notAfter()
            + "); next attempt at " + retry);
    assertThat(manager.status().get(0).nextAttempt()).contains(retry);
    assertThat(manager.status().get(0).lastError()).contains("CA said no second line");

    clock.advance(Duration.ofMinutes(30));
    manager.checkNow().get(30, TimeUnit.SECONDS);
    assertThat(issuer.attempts).as("still backing off").hasValue(2);

    clock.advance(Duration.ofMinutes(31));
    manager.checkNow().get(30, TimeUnit.SECONDS);
    assertThat(issuer.attempts).hasValue(3);
    assertThat(servedSerial("app.localhost")).isNotEqualTo(before);
    assertThat(manager.status().get(0).lastError()).isEmpty();
  }

  @Test
  void theCasRetryAfterIsHonoured() throws Exception {
    CertificateManager manager = manager(config(localSite("app.localhost")));
    manager.start().get(30, TimeUnit.SECONDS);
    clock.advance(Duration.ofDays(4));
    Instant limitedUntil = clock.instant().plus(Duration.ofHours(5));
    issuer.failNext(new IssuanceException("rateLimited", Optional.of(limitedUntil), null));

    manager.checkNow().get(30, TimeUnit.SECONDS);
    clock.advance(Duration.ofHours(2));
    manager.checkNow().get(30, TimeUnit.SECONDS);

    assertThat(manager.status().get(0).nextAttempt()).contains(limitedUntil);
    assertThat(issuer.attempts).hasValue(2);
  }

  @Test
  void lessThanATenthOfTheLifetimeLeftLogsAnErrorOnEveryCheck() throws Exception {
    CertificateManager manager = manager(config(localSite("app.localhost")));
    manager.start().get(30, TimeUnit.SECONDS);
    clock.advance(Duration.ofHours(6 * 24 + 12));
    for (int i = 0; i < 3; i++) {
      issuer.failNext(failure("connection refused"));
    }

    manager.checkNow().get(30, TimeUnit.SECONDS);
    clock.advance(Duration.ofMinutes(10));
    manager.checkNow().get(30, TimeUnit.SECONDS);

    assertThat(log.at(Level.SEVERE))
        .hasSize(2)
        .allMatch(l -> l.startsWith("SEVERE certificate for app.localhost expires at "))
        .allMatch(l -> l.endsWith("under 1/10 of its lifetime) and renewal keeps failing: connection refused"));
  }

  @Test
  void aFirstIssuanceThatFailsIsRetriedAndServingWaits() throws Exception {
    issuer.failNext(failure("CA unreachable"));
    CertificateManager manager = manager(config(localSite("app.localhost")));
    var ready = manager.start();
    manager.checkNow().get(30, TimeUnit.SECONDS);

    assertThat(ready).isNotDone();
    assertThat(cache.lookup("app.localhost")).isEmpty();
    assertThat(log.at(Level.WARNING))
        .anyMatch(
            l -> l.startsWith("WARNING issuing the certificate for app.localhost failed (local CA): CA unreachable;"
                + " HTTPS for app.localhost waits for a certificate; next attempt at"));

    clock.advance(Duration.ofMinutes(61));
    manager.checkNow().get(30, TimeUnit.SECONDS);

    ready.get(30, TimeUnit.SECONDS);
    assertThat(cache.lookup("app.localhost")).isPresent();
  }

  @Test
  void renewNowIssuesEvenWhenNothingIsDue() throws Exception {
    CertificateManager manager = manager(config(localSite("app.localhost"), localSite("other.localhost")));
    manager.start().get(30, TimeUnit.SECONDS);
    String before = servedSerial("app.localhost");
    String other = servedSerial("other.localhost");

    CertifiedKey renewed = manager.renewNow("app.localhost").get(30, TimeUnit.SECONDS);

    assertThat(renewed.serialHex()).isNotEqualTo(before).isEqualTo(servedSerial("app.localhost"));
    assertThat(servedSerial("other.localhost")).isEqualTo(other);
    manager.forceRenewAll().get(30, TimeUnit.SECONDS);
    assertThat(servedSerial("other.localhost")).isNotEqualTo(other);
    assertThat(issuer.issued).hasValue(5);
  }

  @Test
  void renewNowReportsTheFailure() throws Exception {
    CertificateManager manager = manager(config(localSite("app.localhost")));
    manager.start().get(30, TimeUnit.SECONDS);
    issuer.failNext(failure("CAA forbids the CA"));

    assertThatThrownBy(() -> manager.renewNow("app.localhost").get(30, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(IssuanceException.class)
        .cause()
        .hasMessage("CAA forbids the CA");
    assertThatThrownBy(() -> manager.renewNow("nope.localhost").get())
        .hasMessageContaining("nope.localhost: not a site with issued certificates");
  }

  @Test
  void aCertificateRenewedByAnotherProcessIsPickedUp() throws Exception {
    CertificateManager manager = manager(config(localSite("app.localhost")));
    manager.start().get(30, TimeUnit.SECONDS);
    clock.advance(Duration.ofMinutes(5));
    // What `gatehouse certs renew --force` does in its own process: issue and store.
    CertifiedKey renewed = storedByAnotherProcess("app.localhost");

    manager.checkStorageForNewer().get(30, TimeUnit.SECONDS);

    assertThat(servedSerial("app.localhost")).isEqualTo(renewed.serialHex());
    assertThat(issuer.attempts).hasValue(1);
  }

  @Test
  void aRenewalWaitsForAnotherProcessHoldingTheLockAndTakesWhatItStored() throws Exception {
    CertificateManager manager = manager(config(localSite("app.localhost")));
    manager.start().get(30, TimeUnit.SECONDS);
    clock.advance(Duration.ofDays(4));
    var lock = new FileStorage(dir.resolve("state")).lock(StorageKeys.certificateLock("app.localhost"));
    CertifiedKey theirs;
    var check = manager.checkNow();
    try {
      Thread.sleep(200);
      assertThat(check).as("the renewal waits for the lock").isNotDone();
      theirs = storedByAnotherProcess("app.localhost");
    } finally {
      lock.close();
    }
    check.get(30, TimeUnit.SECONDS);

    assertThat(servedSerial("app.localhost")).isEqualTo(theirs.serialHex());
    assertThat(issuer.attempts).as("no second order for the same names").hasValue(1);
  }

  @Test
  void aHungOrderForOneSiteDoesNotDelayAnotherSite() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    issuer.hold("stuck.localhost", release);
    try {
      CertificateManager manager = manager(config(localSite("stuck.localhost"), localSite("app.localhost")));
      manager.start();

      await(() -> cache.lookup("app.localhost").isPresent());
      assertThat(manager.status()).as("status does not wait for the hung order").hasSize(2);
      manager.checkStorageForNewer().get(30, TimeUnit.SECONDS);
      CertifiedKey renewed = manager.renewNow("app.localhost").get(30, TimeUnit.SECONDS);
      assertThat(servedSerial("app.localhost")).isEqualTo(renewed.serialHex());
      assertThat(cache.lookup("stuck.localhost")).as("still ordering").isEmpty();
    } finally {
      release.countDown();
    }
    await(() -> cache.lookup("stuck.localhost").isPresent());
  }

  @Test
  void anOrderThatOutlastsItsTimeoutIsAbandonedInterruptedAndRetriedLater() throws Exception {
    String before = storedByAnotherProcess("app.localhost").serialHex();
    CertificateManager manager =
        manager(config(localSite("app.localhost")), new IssuanceLimits(Duration.ofSeconds(1), Duration.ofMinutes(1)));
    manager.start().get(30, TimeUnit.SECONDS);
    issuer.hold("app.localhost", new CountDownLatch(1));

    assertThatThrownBy(() -> manager.renewNow("app.localhost").get(30, TimeUnit.SECONDS))
        .cause()
        .isInstanceOf(IssuanceException.class)
        .hasMessage("app.localhost: local CA did not finish the order within 1 s; gave up on it");

    await(() -> issuer.interrupted.get() == 1);
    assertThat(servedSerial("app.localhost")).isEqualTo(before);
    assertThat(manager.status().get(0).nextAttempt()).contains(clock.instant().plus(Duration.ofHours(1)));
  }

  @Test
  void aLockHeldByAnotherProcessPastTheWaitIsAFailedAttemptNotAHang() throws Exception {
    CertificateManager manager =
        manager(config(localSite("app.localhost")), new IssuanceLimits(Duration.ofMinutes(1), Duration.ofSeconds(1)));
    manager.start().get(30, TimeUnit.SECONDS);
    clock.advance(Duration.ofDays(4));
    var held = new FileStorage(dir.resolve("state")).lock(StorageKeys.certificateLock("app.localhost"));
    try {
      manager.checkNow().get(30, TimeUnit.SECONDS);
    } finally {
      held.close();
    }

    assertThat(manager.status().get(0).lastError())
        .contains("app.localhost: another process has been ordering this certificate for over 1 s (storage lock"
            + " cert-app.localhost); trying again later");
    assertThat(issuer.attempts).hasValue(1);
  }

  @Test
  void aFirstStartWaitsForAnotherProcessOrderingTheSameNamesAndServesWhatItStored() throws Exception {
    CertifiedKey theirs;
    CertificateManager manager = manager(config(localSite("app.localhost")));
    CompletableFuture<Void> ready;
    var held = new FileStorage(dir.resolve("state")).lock(StorageKeys.certificateLock("app.localhost"));
    try {
      ready = manager.start();
      Thread.sleep(200);
      assertThat(ready).as("waits for the lock").isNotDone();
      theirs = storedByAnotherProcess("app.localhost");
    } finally {
      held.close();
    }
    ready.get(30, TimeUnit.SECONDS);

    assertThat(servedSerial("app.localhost")).isEqualTo(theirs.serialHex());
    assertThat(issuer.attempts).as("no second order for the same names").hasValue(0);
  }

  @Test
  void aCertificateAnotherProcessStoresIsServedWithoutBeingAskedTo() throws Exception {
    CertificateManager manager = manager(config(localSite("app.localhost")));
    manager.start().get(30, TimeUnit.SECONDS);
    clock.advance(Duration.ofMinutes(5));

    CertifiedKey theirs = storedByAnotherProcess("app.localhost");

    await(() -> log.lines().stream().anyMatch(l -> l.contains("picked up from storage: serial " + theirs.serialHex())));
    assertThat(servedSerial("app.localhost")).isEqualTo(theirs.serialHex());
    assertThat(issuer.attempts).hasValue(1);
  }

  @Test
  void nodesStartingTogetherOrderOnceAndAForcedRenewalEveryNodeSeesOrdersOnceMore() throws Exception {
    ServeConfig config = config(localSite("app.localhost"));
    CertificateCache otherCache = new CertificateCache();
    CertificateManager one = manager(config);
    CertificateManager two = node(config, new FileStorage(dir.resolve("state")), otherCache, IssuanceLimits.DEFAULT);

    CompletableFuture.allOf(one.start(), two.start()).get(30, TimeUnit.SECONDS);
    String first = servedSerial("app.localhost");
    assertThat(otherCache.lookup("app.localhost").orElseThrow().serialHex()).isEqualTo(first);
    assertThat(issuer.issued).hasValue(1);

    var renewedByOne = one.renewNow("app.localhost", Optional.of(first));
    var renewedByTwo = two.renewNow("app.localhost", Optional.of(first));
    String second = renewedByOne.get(30, TimeUnit.SECONDS).serialHex();

    assertThat(renewedByTwo.get(30, TimeUnit.SECONDS).serialHex()).isEqualTo(second).isNotEqualTo(first);
    assertThat(otherCache.lookup("app.localhost").orElseThrow().serialHex()).isEqualTo(second);
    assertThat(servedSerial("app.localhost")).isEqualTo(second);
    assertThat(issuer.issued).as("one order per request, whichever node took it").hasValue(2);
    two.renewNow("app.localhost", Optional.of(first)).get(30, TimeUnit.SECONDS);
    assertThat(issuer.issued).as("a request seen again orders nothing").hasValue(2);
  }

  /** Waits (polling; at most 30 s) until {@code condition} holds. */
  private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition still false after 30 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void aHalfWrittenSetFromAnotherProcessIsIgnored() throws Exception {
    CertificateManager manager = manager(config(localSite("app.localhost")));
    manager.start().get(30, TimeUnit.SECONDS);
    String before = servedSerial("app.localhost");
    storage.store(StorageKeys.fullchain("app.localhost"), "-----BEGIN CERTIFICATE-----\nMIIB".getBytes(
        java.nio.charset.StandardCharsets.US_ASCII), false);

    manager.checkStorageForNewer().get(30, TimeUnit.SECONDS);

    assertThat(servedSerial("app.localhost")).isEqualTo(before);
  }

  private Path[] providedFiles(String name) throws Exception {
    CertifiedKey key = ca.issue(new IssueRequest(List.of(name), KeyType.ECDSA_P256, Optional.empty()));
    Path cert = dir.resolve(name + "-" + key.serialHex() + ".crt");
    Path privateKey = dir.resolve(name + "-" + key.serialHex() + ".key");
    Files.write(cert, Pem.encodeCertificates(key.chain()));
    Files.write(privateKey, Pem.encodePrivateKey(key.privateKey()));
    Files.setPosixFilePermissions(privateKey, PosixFilePermissions.fromString("rw-------"));
    return new Path[] {cert, privateKey};
  }

  private static SiteConfig providedSite(Path cert, Path key, String... names) {
    return new SiteConfig(List.of(names), Optional.empty(), List.of(), new CertificateSource.Provided(cert, key));
  }

  @Test
  void aProvidedCertificateIsServedAsItIs() throws Exception {
    Path[] files = providedFiles("shop.test");
    manager(config(providedSite(files[0], files[1], "shop.test"))).start().get(30, TimeUnit.SECONDS);

    assertThat(cache.lookup("shop.test").orElseThrow().chain()).isEqualTo(Pem.readCertificates(files[0]));
    assertThat(issuer.attempts).hasValue(0);
  }

  @Test
  void aProvidedKeyThatDoesNotMatchIsAOneLineErrorNamingTheFile() throws Exception {
    Path[] one = providedFiles("shop.test");
    Path[] two = providedFiles("shop.test");
    CertificateManager manager = manager(config(localSite("app.localhost"), providedSite(one[0], two[1], "shop.test")));

    assertThatThrownBy(manager::start)
        .isInstanceOf(ConfigException.class)
        .hasMessage(two[1] + ": private key does not match the first certificate in " + one[0]
            + " (CN=shop.test); the chain must start with the certificate of this key");
    assertThat(cache.snapshot()).as("nothing served from a failed start").isEmpty();
    assertThat(issuer.attempts).hasValue(0);
  }

  @Test
  void reloadPicksUpReplacedFilesAndKeepsTheOldOnesOnError() throws Exception {
    Path[] first = providedFiles("shop.test");
    Path cert = dir.resolve("shop.crt");
    Path key = dir.resolve("shop.key");
    Files.copy(first[0], cert);
    Files.copy(first[1], key);
    CertificateManager manager = manager(config(providedSite(cert, key, "shop.test")));
    manager.start().get(30, TimeUnit.SECONDS);
    String before = servedSerial("shop.test");

    Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nMIIB\n");
    List<String> problems = manager.reload();
    assertThat(problems).singleElement().asString().startsWith(cert + ": truncated or corrupt PEM")
        .endsWith("; still serving the certificate loaded before");
    assertThat(servedSerial("shop.test")).isEqualTo(before);

    Path[] second = providedFiles("shop.test");
    Files.copy(second[0], cert, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(second[1], key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThat(manager.reload()).isEmpty();
    assertThat(servedSerial("shop.test")).isNotEqualTo(before).isEqualTo(Pem.readCertificates(second[0]).get(0)
        .getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT));
  }

  @Test
  void aSiteWithoutAnIssuerIsAConfigurationError() {
    SiteConfig acme = new SiteConfig(List.of("example.com"), Optional.empty(), List.of(), new CertificateSource.Acme());
    assertThatThrownBy(() -> manager(config(acme)).start())
        .isInstanceOf(ConfigException.class)
        .hasMessage("example.com: no certificate issuer is configured for Acme");
  }
}
