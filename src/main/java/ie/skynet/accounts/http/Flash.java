package ie.skynet.accounts.http;

import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a form's answer carries across its redirect to the page that shows it, so that every POST
 * answers with a redirect and a reload never sends a form twice (a second key, a second password
 * change). The page's address names the entry by a random id; the entry belongs to the browser that
 * sent the form (its form token), so a shared or guessed address shows nobody else's outcome.
 *
 * <p>Held in memory, a bounded few minutes' worth: an entry lost to a restart costs a message, the
 * change itself is already made and the page shows its result.
 */
public final class Flash<T> {
  /** The query parameter naming the entry. */
  public static final String PARAMETER = "done";

  private static final int MOST = 10_000;
  private static final Duration LIFETIME = Duration.ofMinutes(15);

  private record Held<T>(String owner, T value, Instant expires) {}

  private final Clock clock;
  private final SecureRandom random;
  private final Map<String, Held<T>> entries =
      new LinkedHashMap<String, Held<T>>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Held<T>> eldest) {
          return size() > MOST;
        }
      };

  public Flash(Clock clock, SecureRandom random) {
    this.clock = clock;
    this.random = random;
  }

  /** Keeps the value for this browser and redirects it (303) to {@code path} showing it. */
  public void redirect(Context ctx, String path, T value) {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    synchronized (entries) {
      entries.put(
          id, new Held<>(RequestAttributes.csrfToken(ctx), value, clock.instant().plus(LIFETIME)));
    }
    ctx.redirect(path + "?" + PARAMETER + "=" + id, io.javalin.http.HttpStatus.SEE_OTHER);
  }

  /** The value this browser was redirected here with, if it is still held. */
  public Optional<T> find(Context ctx) {
    String id = ctx.queryParam(PARAMETER);
    if (id == null) {
      return Optional.empty();
    }
    synchronized (entries) {
      Held<T> entry = entries.get(id);
      if (entry == null || !clock.instant().isBefore(entry.expires())) {
        entries.remove(id);
        return Optional.empty();
      }
      return entry.owner().equals(RequestAttributes.csrfToken(ctx))
          ? Optional.of(entry.value())
          : Optional.empty();
    }
  }
}
