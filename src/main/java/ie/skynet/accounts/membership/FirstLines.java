package ie.skynet.accounts.membership;

import java.util.Arrays;

/**
 * The member IDs read so far, each with the line it was first seen on: finds a repeated ID exactly.
 *
 * <p>Kept in a few flat arrays rather than a {@code HashMap<String, Long>}: a million IDs there
 * were some hundred megabytes of small live objects, copied again by every young collection of a
 * 256 MB heap, which cost about half a second an import. IDs are those {@link MemberRowValidator}
 * accepted: ASCII letters, digits, '.', '_' and '-', so one byte a character.
 */
final class FirstLines {
  static final long ABSENT = -1;

  // Each slot holds an entry's hash (high half) and index + 1 (low half), or 0 when free: a probe
  // that meets another ID rarely reads more than this one array. At most half full.
  private long[] slots = new long[1 << 12];
  private int[] hashes = new int[1 << 11];
  private long[] lines = new long[1 << 11];
  private int[] starts = new int[(1 << 11) + 1]; // entry i's bytes: [starts[i], starts[i + 1])
  private byte[] bytes = new byte[1 << 14];
  private int size;

  /**
   * Records the ID's line unless the ID was seen before.
   *
   * @return the line the ID was first seen on, or {@link #ABSENT} when it is new
   */
  long putIfAbsent(String id, long line) {
    int hash = mix(id.hashCode());
    int mask = slots.length - 1;
    for (int slot = hash & mask; ; slot = (slot + 1) & mask) {
      long taken = slots[slot];
      if (taken == 0) {
        add(slot, hash, id, line);
        return ABSENT;
      }
      int entry = (int) taken - 1;
      if ((int) (taken >>> 32) == hash && sameId(entry, id)) {
        return lines[entry];
      }
    }
  }

  int size() {
    return size;
  }

  private void add(int slot, int hash, String id, long line) {
    if (size == hashes.length) {
      int capacity = size * 2;
      hashes = Arrays.copyOf(hashes, capacity);
      lines = Arrays.copyOf(lines, capacity);
      starts = Arrays.copyOf(starts, capacity + 1);
    }
    int start = starts[size];
    int end = start + id.length();
    if (end > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(end, bytes.length * 2));
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (c > 0x7f) {
        throw new IllegalArgumentException("member IDs are ASCII; the validator let through " + id);
      }
      bytes[start + i] = (byte) c;
    }
    hashes[size] = hash;
    lines[size] = line;
    starts[size + 1] = end;
    slots[slot] = slot(hash, ++size);
    if (size * 2 > slots.length) {
      rehash();
    }
  }

  private boolean sameId(int entry, String id) {
    int start = starts[entry];
    if (starts[entry + 1] - start != id.length()) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      if (bytes[start + i] != id.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void rehash() {
    long[] larger = new long[slots.length * 2];
    int mask = larger.length - 1;
    for (int entry = 0; entry < size; entry++) {
      int slot = hashes[entry] & mask;
      while (larger[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      larger[slot] = slot(hashes[entry], entry + 1);
    }
    slots = larger;
  }

  private static long slot(int hash, int entryPlusOne) {
    return (long) hash << 32 | entryPlusOne;
  }

  /** Spreads String's hash over the low bits the table uses (sequential IDs differ in few bits). */
  private static int mix(int hash) {
    int h = hash * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
