package ie.skynet.accounts.policy;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * How often signup mail may be asked for, so the service cannot be used to flood an inbox or to
 * send mail at scale. Per address: one mail, then another after a minute ("resend"), at most five
 * an hour. Per client address: generous, since a whole lecture hall signs up from one campus NAT;
 * during a signup event (event mode, switched on by an admin) more generous still. The same limits
 * apply to every address, member or not, so hitting one reveals nothing.
 */
public final class RequestLimits {
  private final KeyedBuckets perAddress;
  private final KeyedBuckets perClient;
  private final KeyedBuckets perClientAtEvent;
  private final int clientBurst;
  private final int eventClientBurst;
  private final Duration clientWindow;
  private final BooleanSupplier eventOn;

  /** The verdict on one request. */
  public sealed interface Verdict {
    record Allowed() implements Verdict {}

    /** Over a limit: ask again after {@link #after()}. Which limit, the page must say. */
    sealed interface TryLater extends Verdict {
      Duration after();
    }

    /**
     * The client address has used its share: many people behind one address (a lecture hall on one
     * NAT). The person asking may never have asked before, so nothing may say they did.
     */
    record NetworkBusy(Duration after) implements TryLater {}

    /** This email address was asked for a moment ago (or five times this hour). */
    record AskedRecently(Duration after) implements TryLater {}

    /** Whole seconds to wait before asking again; zero when allowed. */
    default long secondsToWait() {
      return this instanceof TryLater later ? later.after().toSeconds() : 0;
    }
  }

  /**
   * Limits without event mode.
   *
   * @param clientBurst requests one client address may make within {@code clientWindow}
   */
  public RequestLimits(Clock clock, int clientBurst, Duration clientWindow) {
    this(clock, clientBurst, clientWindow, clientBurst, () -> false);
  }

  /**
   * @param clientBurst requests one client address may make within {@code clientWindow}
   * @param eventClientBurst the same while {@code eventOn} says a signup event is on
   * @param eventOn asked on every request, so an admin's switch takes effect at once
   */
  public RequestLimits(
      Clock clock,
      int clientBurst,
      Duration clientWindow,
      int eventClientBurst,
      BooleanSupplier eventOn) {
    this.perAddress = new KeyedBuckets(clock);
    this.perClient = new KeyedBuckets(clock);
    this.perClientAtEvent = new KeyedBuckets(clock);
    this.clientBurst = clientBurst;
    this.eventClientBurst = eventClientBurst;
    this.clientWindow = clientWindow;
    this.eventOn = eventOn;
  }

  public Verdict tryRequest(String email, String clientAddress) {
    // Asked outside the lock: it may read the database, and requests should not queue behind that.
    boolean event = eventOn.getAsBoolean();
    return tryRequest(email, clientAddress, event);
  }

  private synchronized Verdict tryRequest(String email, String clientAddress, boolean event) {
    // Separate buckets during an event: the hall starts it with the event's whole budget, and what
    // it spent then does not count once the event is over.
    int burst = event ? eventClientBurst : clientBurst;
    Bucket client =
        (event ? perClientAtEvent : perClient)
            .get(
                clientAddress,
                b -> b.addLimit(limit -> limit.capacity(burst).refillGreedy(burst, clientWindow)));
    ConsumptionProbe byClient = client.tryConsumeAndReturnRemaining(1);
    if (!byClient.isConsumed()) {
      return new Verdict.NetworkBusy(KeyedBuckets.waitOf(byClient));
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
      return new Verdict.AskedRecently(KeyedBuckets.waitOf(byAddress));
    }
    return new Verdict.Allowed();
  }
}
