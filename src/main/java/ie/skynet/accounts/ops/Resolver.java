package ie.skynet.accounts.ops;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Name resolution, injected so tests can fail it without asking any DNS server. */
@FunctionalInterface
public interface Resolver {
  List<InetAddress> resolve(String host) throws UnknownHostException;

  /** The system's resolver, as the service's own connections use it. */
  static Resolver system() {
    return host -> List.of(InetAddress.getAllByName(host));
  }
}
