package dev.gatehouse.proxy;

/**
 * Told about every TLS handshake on the HTTPS port and how long its connection stays open, for metrics. Contract as {@link RequestObserver}'s: called
 * on event loops from any number of them at once; thread safe, never blocking, a few counter increments.
 */
public interface TlsHandshakeObserver {

  /** Observes nothing: the server's observer until one is set. */
  TlsHandshakeObserver NONE =
      new TlsHandshakeObserver() {
        @Override
        public void handshakeCompleted(String tlsVersion) {}

        @Override
        public void handshakeFailed(Reason reason) {}

        @Override
        public void connectionOpened(String protocol) {}

        @Override
        public void connectionClosed(String protocol) {}
      };

  /** Why a handshake failed, in the kinds an operator acts on differently. */
  enum Reason {
    /** SNI named a host without a certificate here: a DNS record pointing at this server by mistake, or a scan. */
    UNKNOWN_NAME("unknown_name"),
    /** The client offers only TLS versions this server does not accept (below 1.2). */
    PROTOCOL_VERSION("protocol_version"),
    /** The client did not finish the handshake within {@code --tls-handshake-timeout}. */
    TIMEOUT("timeout"),
    /** Anything else: no shared cipher, a reset, garbage instead of TLS. */
    OTHER("other");

    private final String label;

    Reason(String label) {
      this.label = label;
    }

    /** The Prometheus label value. */
    public String label() {
      return label;
    }
  }

  /** A completed handshake, with the version agreed ({@code TLSv1.3}). */
  void handshakeCompleted(String tlsVersion);

  void handshakeFailed(Reason reason);

  /** A connection starts serving {@code protocol} ({@code h2} or {@code http/1.1}, as ALPN names them). */
  void connectionOpened(String protocol);

  /** That connection closed; called once for each {@link #connectionOpened}. */
  void connectionClosed(String protocol);
}
