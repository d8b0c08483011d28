package ie.skynet.accounts.account;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Slows password guessing without letting anyone lock a member out. Only failures count (an attempt
 * is taken up front and given back when the password was right). They are limited per username and
 * client address together, so someone guessing from elsewhere cannot stop the member logging in
 * from their own machine, and per client address, so one machine cannot try many accounts. A member
 * who is slowed down can still recover their password by mail.
 */
final class LoginThrottle {
  private static final int MAX_TRACKED = 100_000;
  static final int PER_ACCOUNT_AND_CLIENT = 5;
  private final int perClient;
  static final Duration WINDOW = Duration.ofMinutes(15);

  private final TimeMeter time;
  private final Map<String, Bucket> failures = lru();

  /**
   * @param perClient failures one client address may make per window, whatever the usernames:
   *     generous where many members share one address (a campus NAT)
   */
  LoginThrottle(Clock clock, int perClient) {
    this.perClient = perClient;
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
  }

  /**
   * Takes one attempt from this client at this username before the password is checked, so attempts
   * sent all at once cannot all pass; {@link #succeeded} gives it back.
   *
   * @return zero when the attempt may go ahead, else how long to wait
   */
  synchronized Duration tryAttempt(String username, String client) {
    // The client's bucket first: a throttled client creates no bucket per username it names.
    Bucket byClient = bucket("client " + client, perClient);
    ConsumptionProbe clientProbe = byClient.tryConsumeAndReturnRemaining(1);
    if (!clientProbe.isConsumed()) {
      return seconds(clientProbe.getNanosToWaitForRefill());
    }
    ConsumptionProbe pairProbe =
        bucket(pairKey(username, client), PER_ACCOUNT_AND_CLIENT).tryConsumeAndReturnRemaining(1);
    if (!pairProbe.isConsumed()) {
      byClient.addTokens(1);
      return seconds(pairProbe.getNanosToWaitForRefill());
    }
    return Duration.ZERO;
  }

  /** The attempt was right: it does not count against anyone. */
  synchronized void succeeded(String username, String client) {
    bucket("client " + client, perClient).addTokens(1);
    bucket(pairKey(username, client), PER_ACCOUNT_AND_CLIENT).addTokens(1);
  }

  private static Duration seconds(long nanos) {
    return Duration.ofSeconds(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
  }

  private static String pairKey(String username, String client) {
    return "pair " + username.toLowerCase(Locale.ROOT) + " " + client;
  }

  private Bucket bucket(String key, int capacity) {
    return failures.computeIfAbsent(
        key,
        k ->
            Bucket.builder()
                .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, WINDOW))
                .withCustomTimePrecision(time)
                .build());
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
