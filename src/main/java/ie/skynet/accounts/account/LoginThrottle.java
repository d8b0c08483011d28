package ie.skynet.accounts.account;

import ie.skynet.accounts.policy.KeyedBuckets;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;

/**
 * Slows password guessing without letting anyone lock a member out. Only failures count (an attempt
 * is taken up front and given back when the password was right). They are limited per username and
 * client address together, so someone guessing from elsewhere cannot stop the member logging in
 * from their own machine, and per client address, so one machine cannot try many accounts. A member
 * who is slowed down can still recover their password by mail.
 */
final class LoginThrottle {
  static final int PER_ACCOUNT_AND_CLIENT = 5;
  static final Duration WINDOW = Duration.ofMinutes(15);

  private final int perClient;
  private final KeyedBuckets failures;

  /**
   * @param perClient failures one client address may make per window, whatever the usernames:
   *     generous where many members share one address (a campus NAT)
   */
  LoginThrottle(Clock clock, int perClient) {
    this.perClient = perClient;
    this.failures = new KeyedBuckets(clock);
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
      return KeyedBuckets.waitOf(clientProbe);
    }
    ConsumptionProbe pairProbe =
        bucket(pairKey(username, client), PER_ACCOUNT_AND_CLIENT).tryConsumeAndReturnRemaining(1);
    if (!pairProbe.isConsumed()) {
      byClient.addTokens(1);
      return KeyedBuckets.waitOf(pairProbe);
    }
    return Duration.ZERO;
  }

  /** The attempt was right: it does not count against anyone. */
  synchronized void succeeded(String username, String client) {
    bucket("client " + client, perClient).addTokens(1);
    bucket(pairKey(username, client), PER_ACCOUNT_AND_CLIENT).addTokens(1);
  }

  private static String pairKey(String username, String client) {
    return "pair " + username.toLowerCase(Locale.ROOT) + " " + client;
  }

  private Bucket bucket(String key, int capacity) {
    return failures.get(
        key, b -> b.addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, WINDOW)));
  }
}
