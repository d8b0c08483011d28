package ie.skynet.accounts.ops;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** DNS answers a test writes: nothing unless given, a lookup failure where told. */
final class ScriptedMailDns implements MailDns {
  private final Map<String, List<String>> txt = new HashMap<>();
  private final Map<InetAddress, List<String>> reverse = new HashMap<>();
  private final Set<String> failing = new HashSet<>();
  final List<String> asked = new java.util.ArrayList<>();

  ScriptedMailDns txt(String name, String... records) {
    txt.put(name, List.of(records));
    return this;
  }

  ScriptedMailDns reverse(InetAddress address, String... names) {
    reverse.put(address, List.of(names));
    return this;
  }

  /** Lookups of this name (or of this address's reverse name, by its text) time out. */
  ScriptedMailDns failing(String name) {
    failing.add(name);
    return this;
  }

  @Override
  public List<String> txt(String name) throws LookupFailed {
    asked.add("TXT " + name);
    if (failing.contains(name)) {
      throw new LookupFailed("TXT lookup of " + name + ". failed: timed out");
    }
    return txt.getOrDefault(name, List.of());
  }

  @Override
  public List<String> reverse(InetAddress address) throws LookupFailed {
    asked.add("PTR " + address.getHostAddress());
    if (failing.contains(address.getHostAddress())) {
      throw new LookupFailed("PTR lookup of " + address.getHostAddress() + " failed: timed out");
    }
    return reverse.getOrDefault(address, List.of());
  }
}
