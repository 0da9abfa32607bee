package dev.gatehouse.proxy;

import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A fixed set of header names, matched case-insensitively (RFC 9110 §5.1) without allocating: the header
 * rewrite asks it about every field of every proxied message. Most fields are not in the set, so a name is
 * first screened by its length and first letter (two reads), and hashed only when a member could match.
 * Immutable, so safe to share between threads.
 */
final class HeaderNameSet {

  /** Names this long or longer share one length bit. */
  private static final int LONG = 31;

  private final AsciiString[][] buckets;
  private final int mask;
  /** Per first character (ASCII, either case): bit {@code n} set if a member that long starts with it. */
  private final int[] lengthsByFirstChar;

  private HeaderNameSet(AsciiString[][] buckets, int[] lengthsByFirstChar) {
    this.buckets = buckets;
    this.mask = buckets.length - 1;
    this.lengthsByFirstChar = lengthsByFirstChar;
  }

  /** A set of {@code names} (ASCII header names, any case). */
  static HeaderNameSet of(Collection<String> names) {
    // Four slots per name at least, a power of two: most lookups land in an empty slot or a single name.
    int size = Integer.highestOneBit(Math.max(4, names.size() * 4) - 1) << 1;
    List<List<AsciiString>> slots = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      slots.add(new ArrayList<>(1));
    }
    int[] lengthsByFirstChar = new int[128];
    for (String name : names) {
      AsciiString ascii = AsciiString.of(name);
      slots.get(ascii.hashCode() & (size - 1)).add(ascii);
      if (!name.isEmpty() && name.charAt(0) < 128) {
        int lengthBit = 1 << Math.min(name.length(), LONG);
        lengthsByFirstChar[Character.toLowerCase(name.charAt(0))] |= lengthBit;
        lengthsByFirstChar[Character.toUpperCase(name.charAt(0))] |= lengthBit;
      }
    }
    AsciiString[][] buckets = new AsciiString[size][];
    for (int i = 0; i < size; i++) {
      buckets[i] = slots.get(i).isEmpty() ? null : slots.get(i).toArray(new AsciiString[0]);
    }
    return new HeaderNameSet(buckets, lengthsByFirstChar);
  }

  /** Whether {@code name} is in the set, ignoring ASCII case. */
  boolean contains(CharSequence name) {
    int length = name.length();
    if (length == 0) {
      return false;
    }
    char first = name.charAt(0);
    if (first >= 128 || (lengthsByFirstChar[first] & (1 << Math.min(length, LONG))) == 0) {
      return false;
    }
    // AsciiString's hash ignores ASCII case, for a String as for an AsciiString.
    AsciiString[] bucket = buckets[AsciiString.hashCode(name) & mask];
    if (bucket == null) {
      return false;
    }
    for (AsciiString candidate : bucket) {
      if (candidate.contentEqualsIgnoreCase(name)) {
        return true;
      }
    }
    return false;
  }
}
