package dev.gatehouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.store.PostgresLocation;
import dev.gatehouse.store.PostgresStorage;
import dev.gatehouse.store.StoreKey;
import dev.gatehouse.testing.FreePorts;
import dev.gatehouse.testing.GatehouseProcess;
import dev.gatehouse.testing.HaProxy;
import dev.gatehouse.testing.ManagedProcess;
import dev.gatehouse.testing.Pebble;
import dev.gatehouse.testing.PostgresServer;
import dev.gatehouse.testing.RawHttp;
import dev.gatehouse.testing.RawResponse;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several {@code gatehouse serve} nodes of one site on one PostgreSQL store, behind a round-robin TCP balancer
 * (HAProxy, {@code mode tcp}) through which Pebble validates: Pebble's http-01 and tls-alpn-01 ports are the
 * balancer's frontends, so the CA reaches whichever node the balancer picks, not necessarily the one that
 * ordered. One PostgreSQL, Pebble and HAProxy for the class; each test has a database and a name of its own
 * and starts its nodes as real processes. Pebble's orders are counted from its log.
 */
class ServeClusterIT {

  private static final int NODES = 3;
  private static final Duration WAIT = Duration.ofSeconds(90);
  /** Each stored line of a node's log that would mean a stack trace reached the operator. */
  private static final Pattern STACK_TRACE = Pattern.compile("(?m)^\\s+at [\\w.$]+\\(|^Caused by: ");

  @TempDir static Path tmp;

  private static PostgresServer postgres;
  private static Pebble pebble;
  private static HaProxy balancer;
  private static Path storeKey;
  private static final int[] NODE_HTTP = new int[NODES];
  private static final int[] NODE_HTTPS = new int[NODES];

  @BeforeAll
  static void startSharedServers() throws Exception {
    int httpFrontend = FreePorts.next();
    int httpsFrontend = FreePorts.next();
    for (int i = 0; i < NODES; i++) {
      NODE_HTTP[i] = FreePorts.next();
      NODE_HTTPS[i] = FreePorts.next();
    }
    postgres = PostgresServer.startNew();
    pebble = Pebble.start(httpFrontend, httpsFrontend);
    balancer = HaProxy.start(Map.of(
        httpFrontend, List.of(NODE_HTTP[0], NODE_HTTP[1], NODE_HTTP[2]),
        httpsFrontend, List.of(NODE_HTTPS[0], NODE_HTTPS[1], NODE_HTTPS[2])));
    // Every node of a site holds the same key file; made once, as an operator copies it to each server.
    storeKey = tmp.resolve("store.key");
    StoreKey.create(storeKey);
  }

  @AfterAll
  static void stopSharedServers() {
    if (balancer != null) {
      balancer.close();
    }
    if (pebble != null) {
      pebble.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  /** One site on one database: its nodes and what they were started with. */
  private static final class Site implements AutoCloseable {
    final String name;
    final String database = postgres.createDatabase();
    final boolean http01;
    final GatehouseProcess[] nodes = new GatehouseProcess[NODES];

    Site(String name, boolean http01) {
      this.name = name;
      this.http01 = http01;
    }

    List<String> storeFlags(String stateDir) {
      return List.of("--state-dir", tmp.resolve(database + "-" + stateDir).toString(),
          "--store", postgres.storeUrl(database), "--store-key-file", storeKey.toString());
    }

    List<String> serveArgs(int node) {
      List<String> args = new ArrayList<>(List.of("serve", name,
          "--http-port", http01 ? "" + NODE_HTTP[node] : "0", "--https-port", "" + NODE_HTTPS[node],
          "--bind", "127.0.0.1", "--access-log", "off",
          "--ca", pebble.directoryUrl(), "--acme-trust", pebble.trustPem().toString(), "--email", "ops@" + name));
      args.addAll(storeFlags("node" + node));
      return args;
    }

    GatehouseProcess start(int node) {
      nodes[node] = http01
          ? GatehouseProcess.start(serveArgs(node), password(), NODE_HTTP[node], NODE_HTTPS[node])
          : GatehouseProcess.start(serveArgs(node), password(), NODE_HTTPS[node]);
      return nodes[node];
    }

    /** Starts every node at the same moment, as after a deployment to an empty database. */
    void startAllAtOnce() {
      List<CompletableFuture<GatehouseProcess>> starting = new ArrayList<>();
      for (int i = 0; i < NODES; i++) {
        int node = i;
        starting.add(CompletableFuture.supplyAsync(() -> start(node)));
      }
      starting.forEach(CompletableFuture::join);
    }

    /** Starts every node, one after the other (the first may order before the others listen). */
    void startEach() {
      for (int i = 0; i < NODES; i++) {
        start(i);
      }
    }

    /** Waits until every node serves the same Pebble certificate other than {@code previous}; returns its serial. */
    BigInteger awaitOneSerialOnEveryNode(BigInteger previous) throws InterruptedException {
      BigInteger serial = null;
      for (int i = 0; i < NODES; i++) {
        if (nodes[i] == null) {
          continue;
        }
        BigInteger served = awaitPebbleCertificate(NODE_HTTPS[i], name, previous, nodes[i]);
        assertThat(serial == null || serial.equals(served)).as("node " + i + " serves " + served.toString(16)
            + ", another node " + (serial == null ? "" : serial.toString(16))).isTrue();
        serial = served;
      }
      return serial;
    }

    String logs() {
      StringBuilder all = new StringBuilder();
      for (int i = 0; i < NODES; i++) {
        if (nodes[i] != null) {
          all.append("--- node ").append(i).append(":\n").append(nodes[i].log());
        }
      }
      return all.toString();
    }

    @Override
    public void close() {
      for (GatehouseProcess node : nodes) {
        if (node != null) {
          node.close();
        }
      }
    }
  }

  private static Map<String, String> password() {
    return Map.of("PGPASSWORD", postgres.password());
  }

  @Test
  void nodesStartingTogetherOnAnEmptyStoreOrderOnceServeOneSerialAndAllTakeAForcedRenewalWithoutAFailedRequest()
      throws Exception {
    int ordersBefore = pebble.orderCount();
    try (Site site = new Site("together.test", true)) {
      site.startAllAtOnce();
      BigInteger first = site.awaitOneSerialOnEveryNode(null);
      assertThat(pebble.orderCount() - ordersBefore).as("orders for one name set\n" + site.logs()).isEqualTo(1);

      try (ClientLoop clients = new ClientLoop(site.name)) {
        List<String> renew = new ArrayList<>(List.of("certs", "renew", site.name, "--force"));
        renew.addAll(site.storeFlags("cli"));
        ManagedProcess.Result result = GatehouseProcess.run(tmp, password(), WAIT, renew);
        assertThat(result.exitCode()).as(result.output() + "\n" + site.logs()).isZero();

        BigInteger second = site.awaitOneSerialOnEveryNode(first);
        clients.awaitMoreRequests(5);
        assertThat(second).isNotEqualTo(first);
        assertThat(clients.failure()).as("a request through the balancer failed").isNull();
      }
      assertThat(pebble.orderCount() - ordersBefore).as("one more order for the renewal\n" + site.logs())
          .isEqualTo(2);
      assertThat(site.logs()).doesNotContain("SEVERE").doesNotContainPattern(STACK_TRACE);
    }
  }

  @Test
  void tlsAlpn01IsAnsweredByWhicheverNodeTheBalancerPicks() throws Exception {
    int ordersBefore = pebble.orderCount();
    try (Site site = new Site("alpn.test", false)) {
      site.startEach();
      site.awaitOneSerialOnEveryNode(null);
      assertThat(pebble.orderCount() - ordersBefore).as(site.logs()).isEqualTo(1);
      RawResponse page = RawHttp.tls(pebble.tlsPort(), site.name, pebble.issuingRootPem())
          .exchange(RawHttp.get(site.name, "/"));
      assertThat(page.status()).isEqualTo(200);
    }
  }

  @Test
  void whenTheLockHolderIsKilledMidOrderAnotherNodeObtainsTheCertificate() throws Exception {
    int ordersBefore = pebble.orderCount();
    try (Site site = new Site("killed.test", true)) {
      GatehouseProcess holder = site.start(0);
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (pebble.orderCount() == ordersBefore) {
        assertThat(System.nanoTime()).as("node 0 never ordered:\n" + holder.log()).isLessThan(deadline);
        Thread.sleep(5);
      }
      holder.process().signal("KILL");
      assertThat(holder.process().waitForExit(Duration.ofSeconds(10))).isTrue();
      site.nodes[0] = null;
      holder.close();

      site.start(1);
      site.awaitOneSerialOnEveryNode(null);
      assertThat(pebble.orderCount() - ordersBefore).as("the killed order and the one that completed\n"
          + site.logs()).isEqualTo(2);
    }
  }

  @Test
  void postgresStoppedUnderLoadEveryNodeKeepsServingAndANodeRestartedMeanwhileServesItsLocalCopy()
      throws Exception {
    try (Site site = new Site("outage.test", true)) {
      site.startEach();
      BigInteger serial = site.awaitOneSerialOnEveryNode(null);

      postgres.stop();
      try {
        try (ClientLoop clients = new ClientLoop(site.name)) {
          clients.awaitMoreRequests(30);
          assertThat(clients.failure()).as("a request through the balancer failed\n" + site.logs()).isNull();
        }
        // Restarted with no traffic: a balancer sends some connections to a server that is stopping or has
        // not loaded its certificate yet, which is the balancer's health checks' business, not the store's.
        site.nodes[2].close();
        site.nodes[2] = null;
        GatehouseProcess restarted = site.start(2);
        assertThat(awaitPebbleCertificate(NODE_HTTPS[2], site.name, null, restarted)).isEqualTo(serial);
        assertThat(restarted.log()).contains("reading from the local copy");
      } finally {
        postgres.start();
      }
      try (ClientLoop clients = new ClientLoop(site.name)) {
        awaitLogLine(site, "is reachable again");
        clients.awaitMoreRequests(30);
        assertThat(clients.failure()).as("a request through the balancer failed\n" + site.logs()).isNull();
      }
      for (int i = 0; i < NODES; i++) {
        String log = site.nodes[i].log();
        assertThat(count(log, "is unreachable (")).as("node " + i + ": one line per outage\n" + log).isEqualTo(1);
        assertThat(count(log, "is reachable again")).as("node " + i + ": one line when it is back\n" + log)
            .isEqualTo(1);
        assertThat(log).doesNotContainPattern(STACK_TRACE);
      }
    }
  }

  @Test
  void aNodeWithAnotherStoreKeyIsRefusedWithOneLineNamingTheKeyFile() throws Exception {
    try (Site site = new Site("wrong-key.test", true)) {
      PostgresStorage.open(PostgresLocation.parse(postgres.storeUrl(site.database)), Optional.of(postgres.password()),
          storeKey, tmp.resolve(site.database + "-first")).close();
      Path otherKey = tmp.resolve("other-" + site.database + ".key");
      StoreKey.create(otherKey);

      List<String> args = new ArrayList<>(site.serveArgs(0));
      args.set(args.indexOf(storeKey.toString()), otherKey.toString());
      ManagedProcess.Result result = GatehouseProcess.run(tmp, password(), WAIT, args);

      assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
      assertThat(result.output().strip().lines().filter(l -> l.contains(otherKey.toString())))
          .singleElement().asString().contains("is not the key the store");
      assertThat(result.output()).doesNotContainPattern(STACK_TRACE);
    }
  }

  private static int count(String log, String text) {
    return log.split(Pattern.quote(text), -1).length - 1;
  }

  private static void awaitLogLine(Site site, String text) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    for (int i = 0; i < NODES; i++) {
      while (!site.nodes[i].log().contains(text)) {
        assertThat(System.nanoTime()).as("node " + i + " never logged '" + text + "':\n" + site.nodes[i].log())
            .isLessThan(deadline);
        Thread.sleep(100);
      }
    }
  }

  /** Requests through the balancer, one connection each, until closed; remembers the first failure. */
  private static final class ClientLoop implements AutoCloseable {
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger ok = new AtomicInteger();
    private final AtomicReference<String> failure = new AtomicReference<>();
    private final Thread thread;

    ClientLoop(String name) {
      Path root = pebble.issuingRootPem();
      thread = new Thread(() -> {
        while (running.get() && failure.get() == null) {
          try {
            RawResponse r = RawHttp.tls(pebble.tlsPort(), name, root).exchange(RawHttp.get(name, "/"));
            if (r.status() != 200) {
              failure.set("status " + r.status());
            }
            ok.incrementAndGet();
          } catch (RuntimeException e) {
            failure.set(e.toString());
          }
        }
      }, "cluster-client");
      thread.start();
    }

    void awaitMoreRequests(int more) throws InterruptedException {
      int target = ok.get() + more;
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (ok.get() < target && failure.get() == null) {
        assertThat(System.nanoTime()).as("the client loop stalled").isLessThan(deadline);
        Thread.sleep(20);
      }
    }

    String failure() {
      return failure.get();
    }

    @Override
    public void close() {
      running.set(false);
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Waits until {@code port} serves {@code name} a Pebble certificate other than {@code previous}; its serial. */
  private static BigInteger awaitPebbleCertificate(int port, String name, BigInteger previous, GatehouseProcess node)
      throws InterruptedException {
    return pebble.awaitServedCertificate(port, name, previous, WAIT, node::log);
  }
}
