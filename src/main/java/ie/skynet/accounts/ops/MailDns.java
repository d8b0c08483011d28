package ie.skynet.accounts.ops;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * The DNS records mail providers read before they trust a sender: TXT records (SPF, DMARC) and
 * reverse names. Doctor reads them through this, so tests answer for the DNS and never ask the
 * machine's servers.
 */
public interface MailDns {
  /**
   * The TXT records at the name, each whole (its strings joined, as SPF and DMARC read them).
   *
   * @return empty when the name or its TXT records do not exist
   * @throws LookupFailed when the DNS gave no answer either way
   */
  List<String> txt(String name) throws LookupFailed;

  /**
   * The names the address maps back to (PTR), without the final dot.
   *
   * @return empty when it has none
   * @throws LookupFailed when the DNS gave no answer either way
   */
  List<String> reverse(InetAddress address) throws LookupFailed;

  /** The DNS servers this machine is configured with, through dnsjava. */
  static MailDns system(Duration timeout) {
    return new DnsjavaMailDns(timeout);
  }

  /** A lookup the DNS could not answer: a timeout, a server failure. */
  final class LookupFailed extends Exception {
    private static final long serialVersionUID = 1L;

    public LookupFailed(String message) {
      super(message);
    }
  }
}
