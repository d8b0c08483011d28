package ie.skynet.accounts.signup;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * How often signup mail may be asked for, so the service cannot be used to flood an inbox or to
 * send mail at scale. Per address: one mail, then another after a minute ("resend"), at most five
 * an hour. Per client address: generous, since a whole lecture hall signs up from one campus NAT.
 * The same limits apply to every address, member or not, so hitting one reveals nothing.
 */
public final class RequestLimits {
  /** Buckets kept at most: old ones are dropped first, so memory stays bounded under attack. */
  private static final int MAX_TRACKED = 100_000;

  private final TimeMeter time;
  private final Map<String, Bucket> perAddress = lru();
  private final Map<String, Bucket> perClient = lru();
  private final int clientBurst;
  private final Duration clientWindow;

  /** The verdict on one request. */
  public sealed interface Verdict {
    record Allowed() implements Verdict {}

    /** Over a limit: ask again after this long. */
    record TryLater(Duration after) implements Verdict {}
  }

  /**
   * @param clientBurst requests one client address may make within {@code clientWindow}
   */
  public RequestLimits(Clock clock, int clientBurst, Duration clientWindow) {
    this.time =
        new TimeMeter() {
          @Override
          public long currentTimeNanos() {
            return clock.millis() * 1_000_000L;
          }

          @Override
          public boolean isWallClockBased() {
            return true;
          }
        };
    this.clientBurst = clientBurst;
    this.clientWindow = clientWindow;
  }

  public synchronized Verdict tryRequest(String email, String clientAddress) {
    Bucket client = perClient.computeIfAbsent(clientAddress, k -> clientBucket().get());
    ConsumptionProbe byClient = client.tryConsumeAndReturnRemaining(1);
    if (!byClient.isConsumed()) {
      return new Verdict.TryLater(wait(byClient));
    }
    Bucket address =
        perAddress.computeIfAbsent(
            email.strip().toLowerCase(Locale.ROOT), k -> addressBucket().get());
    ConsumptionProbe byAddress = address.tryConsumeAndReturnRemaining(1);
    if (!byAddress.isConsumed()) {
      client.addTokens(1); // this request sent nothing: it should not count against the client
      return new Verdict.TryLater(wait(byAddress));
    }
    return new Verdict.Allowed();
  }

  private Supplier<Bucket> addressBucket() {
    return () ->
        Bucket.builder()
            .addLimit(limit -> limit.capacity(1).refillIntervally(1, Duration.ofMinutes(1)))
            .addLimit(limit -> limit.capacity(5).refillIntervally(5, Duration.ofHours(1)))
            .withCustomTimePrecision(time)
            .build();
  }

  private Supplier<Bucket> clientBucket() {
    return () ->
        Bucket.builder()
            .addLimit(limit -> limit.capacity(clientBurst).refillGreedy(clientBurst, clientWindow))
            .withCustomTimePrecision(time)
            .build();
  }

  private static Duration wait(ConsumptionProbe probe) {
    // Round up to whole seconds: "try again in 0 seconds" would be a lie.
    long nanos = probe.getNanosToWaitForRefill();
    return Duration.ofSeconds((nanos + 999_999_999L) / 1_000_000_000L);
  }

  private static Map<String, Bucket> lru() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
        return size() > MAX_TRACKED;
      }
    };
  }
}
