package ie.skynet.accounts.policy;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.local.LocalBucketBuilder;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Rate-limit buckets by key (an address, a client), on the injected clock so tests own time. At
 * most {@link #MAX_TRACKED} are kept, least recently used dropped first, so memory stays bounded
 * under attack. Not thread-safe: its users synchronize.
 */
public final class KeyedBuckets {
  static final int MAX_TRACKED = 100_000;

  private final TimeMeter time;
  private final Map<String, Bucket> buckets =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
          return size() > MAX_TRACKED;
        }
      };

  public KeyedBuckets(Clock clock) {
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

  /** How long a refused request must wait, rounded up to whole seconds (never "0 seconds"). */
  public static java.time.Duration waitOf(io.github.bucket4j.ConsumptionProbe probe) {
    long nanos = probe.getNanosToWaitForRefill();
    return java.time.Duration.ofSeconds(Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L));
  }

  /** The key's bucket, made with these limits the first time the key is seen. */
  public Bucket get(String key, UnaryOperator<LocalBucketBuilder> limits) {
    return buckets.computeIfAbsent(
        key, k -> limits.apply(Bucket.builder()).withCustomTimePrecision(time).build());
  }
}
