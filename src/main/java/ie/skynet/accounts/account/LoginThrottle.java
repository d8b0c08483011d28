package ie.skynet.accounts.account;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Slows password guessing without letting anyone lock a member out. Only failures count. They are
 * limited per username and client address together, so someone guessing from elsewhere cannot stop
 * the member logging in from their own machine, and per client address, so one machine cannot try
 * many accounts. A member who is slowed down can still recover their password by mail.
 */
final class LoginThrottle {
  private static final int MAX_TRACKED = 100_000;
  static final int PER_ACCOUNT_AND_CLIENT = 5;
  static final int PER_CLIENT = 30;
  static final Duration WINDOW = Duration.ofMinutes(15);

  private final TimeMeter time;
  private final Map<String, Bucket> failures = lru();

  LoginThrottle(Clock clock) {
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

  /** How long this client must wait before trying this username again; zero if it need not. */
  synchronized Duration waitBefore(String username, String client) {
    long nanos =
        Math.max(
            bucket(pairKey(username, client), PER_ACCOUNT_AND_CLIENT)
                .estimateAbilityToConsume(1)
                .getNanosToWaitForRefill(),
            bucket("client " + client, PER_CLIENT)
                .estimateAbilityToConsume(1)
                .getNanosToWaitForRefill());
    return nanos <= 0 ? Duration.ZERO : Duration.ofSeconds((nanos + 999_999_999L) / 1_000_000_000L);
  }

  synchronized void failed(String username, String client) {
    bucket(pairKey(username, client), PER_ACCOUNT_AND_CLIENT).tryConsume(1);
    bucket("client " + client, PER_CLIENT).tryConsume(1);
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
