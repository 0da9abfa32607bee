package dev.gatehouse.tls;

import io.netty.handler.ssl.OpenSslSessionTicketKey;
import io.netty.handler.ssl.ReferenceCountedOpenSslContext;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Session-ticket keys shared by every OpenSSL context of one server, rotated: a stolen ticket key decrypts the
 * sessions of one rotation period and the one before, not of the server's whole life (RFC 5077 §5.5, RFC 8446
 * §4.6.1; Mozilla's guidelines ask for rotation, which nginx only does on restart). The first key encrypts new
 * tickets, the second still decrypts. Safe for concurrent use; contexts are held weakly.
 *
 * <p>The JDK's TLS (the fallback when BoringSSL does not load) gives no access to its ticket keys, and needs
 * none: JDK 17 issues stateless tickets by default ({@code jdk.tls.server.enableSessionTicketExtension=true})
 * and rotates their key itself, per context: a new AES-256-GCM key once the current one is an hour old (at
 * the first ticket issued after that), numbered one past the previous; each key
 * still decrypts until the session timeout ({@code MozillaIntermediate#SESSION_TIMEOUT}) has passed after its
 * period, then it is destroyed. {@link #rotate} leaves JDK contexts alone. The period is the system property
 * {@code jdk.tls.server.statelessKeyTimeout} (seconds); JDK 17 compares it in milliseconds against a bound
 * meant in seconds, so it takes only values up to 604 and falls back to the hour for anything longer.
 */
final class SessionTicketKeys {

  private final SecureRandom random = new SecureRandom();
  private final Set<ReferenceCountedOpenSslContext> contexts = Collections.newSetFromMap(new WeakHashMap<>());
  private OpenSslSessionTicketKey current = newKey();
  private OpenSslSessionTicketKey previous;

  /** Gives {@code context} the current keys and keeps it for the next rotations. */
  synchronized void register(ReferenceCountedOpenSslContext context) {
    contexts.add(context);
    apply(context);
  }

  /**
   * Stops rotating the keys of {@code context}, before it is released: under this lock, so that a rotation
   * never sets keys on a context whose native memory is freed.
   */
  synchronized void unregister(ReferenceCountedOpenSslContext context) {
    contexts.remove(context);
  }

  synchronized void rotate() {
    previous = current;
    current = newKey();
    contexts.forEach(this::apply);
  }

  private void apply(ReferenceCountedOpenSslContext context) {
    if (previous == null) {
      context.sessionContext().setTicketKeys(current);
    } else {
      context.sessionContext().setTicketKeys(current, previous);
    }
  }

  private OpenSslSessionTicketKey newKey() {
    byte[] name = new byte[OpenSslSessionTicketKey.NAME_SIZE];
    byte[] hmac = new byte[OpenSslSessionTicketKey.HMAC_KEY_SIZE];
    byte[] aes = new byte[OpenSslSessionTicketKey.AES_KEY_SIZE];
    random.nextBytes(name);
    random.nextBytes(hmac);
    random.nextBytes(aes);
    return new OpenSslSessionTicketKey(name, hmac, aes);
  }
}
