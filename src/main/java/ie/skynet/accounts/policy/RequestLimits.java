package ie.skynet.accounts.policy;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * How often signup mail may be asked for, so the service cannot be used to flood an inbox or to
 * send mail at scale. Per address: one mail, then another after a minute ("resend"), at most five
 * an hour. Per client address: generous, since a whole lecture hall signs up from one campus NAT.
 * The same limits apply to every address, member or not, so hitting one reveals nothing.
 */
public final class RequestLimits {
  private final KeyedBuckets perAddress;
  private final KeyedBuckets perClient;
  private final int clientBurst;
  private final Duration clientWindow;

  /** The verdict on one request. */
  public sealed interface Verdict {
    record Allowed() implements Verdict {}

    /** Over a limit: ask again after this long. */
    record TryLater(Duration after) implements Verdict {}

    /** Whole seconds to wait before asking again; zero when allowed. */
    default long secondsToWait() {
      return this instanceof TryLater later ? later.after().toSeconds() : 0;
    }
  }

  /**
   * @param clientBurst requests one client address may make within {@code clientWindow}
   */
  public RequestLimits(Clock clock, int clientBurst, Duration clientWindow) {
    this.perAddress = new KeyedBuckets(clock);
    this.perClient = new KeyedBuckets(clock);
    this.clientBurst = clientBurst;
    this.clientWindow = clientWindow;
  }

  public synchronized Verdict tryRequest(String email, String clientAddress) {
    Bucket client =
        perClient.get(
            clientAddress,
            b ->
                b.addLimit(
                    limit -> limit.capacity(clientBurst).refillGreedy(clientBurst, clientWindow)));
    ConsumptionProbe byClient = client.tryConsumeAndReturnRemaining(1);
    if (!byClient.isConsumed()) {
      return new Verdict.TryLater(KeyedBuckets.waitOf(byClient));
    }
    Bucket address =
        perAddress.get(
            email.strip().toLowerCase(Locale.ROOT),
            b ->
                b.addLimit(limit -> limit.capacity(1).refillIntervally(1, Duration.ofMinutes(1)))
                    .addLimit(limit -> limit.capacity(5).refillIntervally(5, Duration.ofHours(1))));
    ConsumptionProbe byAddress = address.tryConsumeAndReturnRemaining(1);
    if (!byAddress.isConsumed()) {
      client.addTokens(1); // this request sent nothing: it should not count against the client
      return new Verdict.TryLater(KeyedBuckets.waitOf(byAddress));
    }
    return new Verdict.Allowed();
  }
}
