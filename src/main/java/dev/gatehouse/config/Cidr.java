package dev.gatehouse.config;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An address range such as {@code 10.0.0.0/8}, {@code 2001:db8::/32} or a single address. */
public record Cidr(byte[] network, int prefixLength) {

  public static Cidr parse(String where, String value) throws ConfigException {
    String v = value.trim();
    int slash = v.indexOf('/');
    String addr = slash < 0 ? v : v.substring(0, slash);
    if (addr.isEmpty() || !(addr.contains(":") || addr.chars().allMatch(c -> c == '.' || Character.isDigit(c)))) {
      throw ConfigException.invalid(where, value, "an address or CIDR such as 10.0.0.0/8 or 2001:db8::/32");
    }
    byte[] bytes;
    try {
      bytes = InetAddress.getByName(addr).getAddress();
    } catch (UnknownHostException e) {
      throw ConfigException.invalid(where, value, "an address or CIDR such as 10.0.0.0/8 or 2001:db8::/32");
    }
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(v.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > max) {
        throw ConfigException.invalid(where, value, "a prefix length from 0 to " + max);
      }
    }
    return new Cidr(bytes, prefix);
  }

  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    if (a.length != network.length) {
      return false;
    }
    int bits = prefixLength;
    for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
      int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
      if ((a[i] & mask) != (network[i] & mask)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cidr c && c.prefixLength == prefixLength && java.util.Arrays.equals(c.network, network);
  }

  @Override
  public int hashCode() {
    return java.util.Arrays.hashCode(network) * 31 + prefixLength;
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
