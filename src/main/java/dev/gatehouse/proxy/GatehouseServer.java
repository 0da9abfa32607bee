package dev.gatehouse.proxy;

import dev.gatehouse.certs.CertificateCache;
import dev.gatehouse.certs.ChallengeResponses;
import dev.gatehouse.config.ServeConfig;
import dev.gatehouse.tls.CertificateSelector;
import dev.gatehouse.tls.ServerSslContextFactory;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A running Gatehouse: the HTTPS listener (and the port-80 one unless {@code httpPort} is 0), serving the
 * sites of a {@link ServeConfig} with the certificates in a {@link CertificateCache}.
 *
 * <pre>{@code
 * GatehouseServer server = GatehouseServer.start(config, certificates, challenges);
 * server.reload(newConfig);              // swap the configuration; listeners stay
 * server.close(Duration.ofSeconds(30));  // stop accepting, drain in-flight requests, close
 * }</pre>
 *
 * Certificates are swapped by putting them into the cache: new handshakes use them at once. Thread safe.
 */
public final class GatehouseServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(GatehouseServer.class.getName());

  /** How often HSTS ramp health is re-checked (certificates also expire without anything changing). */
  static final Duration HSTS_CHECK_INTERVAL = Duration.ofMinutes(1);

  /** Threads for static file stat/open/read; file reads block, event loops must not. */
  static final int FILE_THREADS = 4;

  /** Netty's own setting for its default number of event loops, which Gatehouse honours too. */
  static final String EVENT_LOOPS_PROPERTY = "io.netty.eventLoopThreads";

  private final ServerRuntime runtime;
  private final CertificateCache certificates;
  private final CertificateSelector selector;
  private final HstsRamp hstsRamp;
  private final Clock clock;
  private final EventLoopGroup acceptors;
  private final EventLoopGroup workers;
  private final ExecutorService files;
  private final ScheduledExecutorService maintenance;
  private final ChannelGroup listeners = new DefaultChannelGroup("listeners", GlobalEventExecutor.INSTANCE);
  private final ChannelGroup clients = new DefaultChannelGroup("clients", GlobalEventExecutor.INSTANCE);
  private final Object lifecycle = new Object();
  private int httpPort;
  private int httpsPort;
  private boolean closed;

  private GatehouseServer(
      ServeConfig config, CertificateCache certificates, ChallengeResponses challenges, Clock clock)
      throws IOException {
    this.certificates = certificates;
    this.clock = clock;
    Transport transport = Transport.detect();
    this.hstsRamp = new HstsRamp(config.stateDir(), clock);
    RequestBodyFiles.prepare(config.stateDir());
    this.files = Executors.newFixedThreadPool(FILE_THREADS, daemon("gatehouse-files"));
    this.maintenance = Executors.newSingleThreadScheduledExecutor(daemon("gatehouse-maintenance"));
    this.runtime =
        new ServerRuntime(config, transport, challenges, hstsRamp, AccessLogWriter.open(config.accessLog()), files);
    this.selector =
        new CertificateSelector(certificates, challenges, this::defaultName, new ServerSslContextFactory());
    this.acceptors = transport.newGroup(1, "gatehouse-accept");
    this.workers = transport.newGroup(eventLoops(), "gatehouse-io");
  }

  /**
   * One event loop per core, as nginx has one worker per core: nothing on a loop blocks, so a second loop on the
   * same core only adds switches between them, each holding its connections' requests while the other runs
   * (Netty's default is two per core). {@value #EVENT_LOOPS_PROPERTY} still overrides it.
   */
  static int eventLoops() {
    return Integer.getInteger(EVENT_LOOPS_PROPERTY, Runtime.getRuntime().availableProcessors());
  }

  /** Starts serving {@code config}; see {@link #start(ServeConfig, CertificateCache, ChallengeResponses, Clock)}. */
  public static GatehouseServer start(
      ServeConfig config, CertificateCache certificates, ChallengeResponses challenges) throws IOException {
    return start(config, certificates, challenges, Clock.systemUTC());
  }

  /**
   * Binds the listeners (synchronously: when this returns, both accept connections) and starts serving.
   * {@code httpsPort} 0 binds a free port ({@link #httpsPort()} tells which); {@code httpPort} 0 means no
   * port-80 listener.
   *
   * @param clock the HSTS ramp's clock (tests move it)
   * @throws ListenerBindException when a port cannot be bound (in use, no permission); one line, naming it
   * @throws IOException when the access log cannot be opened
   */
  public static GatehouseServer start(
      ServeConfig config, CertificateCache certificates, ChallengeResponses challenges, Clock clock)
      throws IOException {
    GatehouseServer server = new GatehouseServer(config, certificates, challenges, clock);
    try {
      server.bind(config);
    } catch (IOException | RuntimeException e) {
      server.close(Duration.ZERO);
      throw e;
    }
    server.startMaintenance();
    LOG.log(
        Level.INFO,
        "gatehouse: serving " + config.sites().size() + " site(s) on https://" + config.bind() + ":" + server.httpsPort
            + (server.httpPort > 0 ? " and http://" + config.bind() + ":" + server.httpPort : "")
            + " (" + server.runtime.transport().name() + ", TLS by " + server.selector.factory().provider() + ")");
    return server;
  }

  private void bind(ServeConfig config) throws ListenerBindException {
    httpsPort = bindOne(config, config.httpsPort(), "--https-port", new HttpsChannelInitializer(runtime, selector, clients));
    runtime.httpsPort(httpsPort);
    if (config.httpPort() > 0) {
      httpPort = bindOne(config, config.httpPort(), "--http-port", new HttpChannelInitializer(runtime, clients));
    }
  }

  private int bindOne(ServeConfig config, int port, String flag, ChannelInitializer<Channel> initializer)
      throws ListenerBindException {
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptors, workers)
            .channel(runtime.transport().serverChannel())
            .option(ChannelOption.SO_BACKLOG, 1024)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
            .childHandler(initializer);
    ChannelFuture bound = bootstrap.bind(config.bind(), port).awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw ListenerBindException.of(config.bind(), port, flag, bound.cause());
    }
    listeners.add(bound.channel());
    return ((InetSocketAddress) bound.channel().localAddress()).getPort();
  }

  private void startMaintenance() {
    maintenance.scheduleWithFixedDelay(
        this::observeHsts, 0, HSTS_CHECK_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    certificates.addListener(cache -> submitMaintenance(this::observeHsts));
    long rotation = ServerSslContextFactory.TICKET_KEY_ROTATION.toMillis();
    maintenance.scheduleAtFixedRate(this::rotateSessionTicketKeys, rotation, rotation, TimeUnit.MILLISECONDS);
  }

  private void submitMaintenance(Runnable task) {
    try {
      maintenance.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.log(Level.DEBUG, "server closed; maintenance task dropped");
    }
  }

  private void observeHsts() {
    hstsRamp.observe(Hsts.health(runtime.config(), certificates, clock.instant()));
  }

  /** A client without SNI gets the first site's certificate. */
  private Optional<String> defaultName() {
    ServeConfig config = runtime.config();
    return config.sites().isEmpty() ? Optional.empty() : Optional.of(config.sites().get(0).primaryName());
  }

  /**
   * Starts a new TLS session-ticket key now (the schedule does it every {@link
   * ServerSslContextFactory#TICKET_KEY_ROTATION}): tickets issued before still resume once, older ones not.
   */
  public void rotateSessionTicketKeys() {
    selector.factory().rotateTicketKeys();
  }

  /** The bound HTTP port; 0 when there is no port-80 listener. */
  public int httpPort() {
    return httpPort;
  }

  /** The bound HTTPS port (the one the OS picked when configured as 0). */
  public int httpsPort() {
    return httpsPort;
  }

  /** Requests in flight: being answered, or with a body still being buffered (a drain waits for these). */
  public int inFlight() {
    return runtime.inFlight();
  }

  /**
   * Serves {@code config} from now on: requests already running finish under the old one. Listener
   * settings (bind address, ports) take a restart and are kept. May block (resolving upstream host names,
   * opening the access log): not on an event loop. The caller validated {@code config}.
   */
  public void reload(ServeConfig config) {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      ServeConfig old = runtime.config();
      if (!config.bind().equals(old.bind()) || config.httpPort() != old.httpPort() || config.httpsPort() != old.httpsPort()) {
        LOG.log(Level.WARNING, "reload: --bind, --http-port and --https-port change only on restart; keeping the listeners");
      }
      AccessLogWriter log = runtime.accessLog();
      if (!config.accessLog().equals(log.where())) {
        try {
          log = AccessLogWriter.open(config.accessLog());
        } catch (IOException e) {
          LOG.log(Level.ERROR, "reload: cannot open the access log: " + e.getMessage() + "; keeping the old one");
        }
      }
      AccessLogWriter replaced = runtime.update(config, log);
      if (replaced != log) {
        replaced.close();
      }
      submitMaintenance(this::observeHsts);
      LOG.log(Level.INFO, "reload: serving " + config.sites().size() + " site(s)");
    }
  }

  /** {@link #close(Duration)} with the configured drain timeout. */
  @Override
  public void close() {
    close(runtime.config().limits().drainTimeout());
  }

  /**
   * Stops accepting connections, lets in-flight requests finish for up to {@code drain} (idle keep-alive
   * connections close at once, HTTP/2 connections get GOAWAY), then closes everything. Blocks until done.
   */
  public void close(Duration drain) {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
    }
    listeners.close().awaitUninterruptibly();
    runtime.startDraining();
    for (Channel client : clients) {
      client.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
    }
    long deadline = System.nanoTime() + drain.toNanos();
    while (runtime.inFlight() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (runtime.inFlight() > 0) {
      LOG.log(Level.WARNING, "shutdown: " + runtime.inFlight() + " request(s) still running after " + drain.toMillis() + " ms; closing them");
    }
    clients.close().awaitUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    selector.close();
    maintenance.shutdownNow();
    files.shutdownNow();
    runtime.accessLog().close();
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
