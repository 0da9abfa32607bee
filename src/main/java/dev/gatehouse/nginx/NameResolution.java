package dev.gatehouse.nginx;

import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/**
 * Where a name points, and whether that is this host: the ACME CA connects to every address a name has,
 * so each one must be an address of this machine. Lookups go to the system resolver, or to one DNS server
 * ({@code --dns-server HOST:PORT}, through the JDK's JNDI DNS provider) when the system's is not the one
 * the CA uses.
 */
public final class NameResolution {

  private final Optional<String> dnsServer;

  /** @param dnsServer {@code HOST:PORT} of a DNS server to ask instead of the system resolver */
  public NameResolution(Optional<String> dnsServer) {
    this.dnsServer = dnsServer;
  }

  /** Every A and AAAA address of {@code name}; empty when it has none. */
  public List<InetAddress> addresses(String name) throws IOException {
    if (dnsServer.isEmpty()) {
      try {
        return List.of(InetAddress.getAllByName(name));
      } catch (UnknownHostException e) {
        return List.of();
      }
    }
    Hashtable<String, Object> env = new Hashtable<>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
    env.put(Context.PROVIDER_URL, "dns://" + dnsServer.get());
    List<InetAddress> result = new ArrayList<>();
    DirContext ctx = null;
    try {
      ctx = new InitialDirContext(env);
      // One query per type: asking for both at once makes JNDI send type ANY, which many servers refuse.
      for (String type : List.of("A", "AAAA")) {
        Attributes attrs;
        try {
          attrs = ctx.getAttributes(name, new String[] {type});
        } catch (NameNotFoundException e) {
          continue;
        }
        Attribute a = attrs.get(type);
        if (a == null) {
          continue;
        }
        NamingEnumeration<?> values = a.getAll();
        while (values.hasMore()) {
          result.add(InetAddress.getByName(values.next().toString()));
        }
      }
      return result;
    } catch (NamingException e) {
      throw new IOException("DNS lookup of " + name + " at " + dnsServer.get() + " failed: " + e.getMessage(), e);
    } finally {
      if (ctx != null) {
        try {
          ctx.close();
        } catch (NamingException e) {
          // nothing held open
        }
      }
    }
  }

  /** The addresses of this machine's interfaces, loopback included. */
  public static Set<InetAddress> localAddresses() throws SocketException {
    Set<InetAddress> local = new LinkedHashSet<>();
    for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      local.addAll(Collections.list(ni.getInetAddresses()));
    }
    return local;
  }
}
