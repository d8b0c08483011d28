package ie.skynet.accounts.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbox's backlog as gauges, read from the database, not counted in memory: mail is also sent
 * by {@code accounts outbox send} in another process, and the table is the truth. {@link #refresh}
 * reads it in one query, before each scrape, so every gauge of a scrape shows the same moment; they
 * are NaN until then, or when the read failed.
 */
public final class OutboxGauges {
  private static final Logger log = LoggerFactory.getLogger(OutboxGauges.class);

  private final Outbox outbox;
  private final Clock clock;
  private volatile Outbox.@Nullable Backlog last;

  public OutboxGauges(Outbox outbox, Clock clock, MeterRegistry registry) {
    this.outbox = outbox;
    this.clock = clock;
    gauge(
        registry,
        "accounts.mail.pending",
        "Mails waiting to be sent, retries included",
        null,
        b -> b.pending());
    gauge(
        registry,
        "accounts.mail.sending",
        "Mails claimed by a worker right now",
        null,
        b -> b.sending());
    gauge(
        registry,
        "accounts.mail.failed.waiting",
        "Mails that failed for good and wait for an operator (accounts outbox resend)",
        null,
        b -> b.failed());
    gauge(
        registry,
        "accounts.mail.oldest.pending.age",
        "How long the oldest pending mail has waited; 0 when none waits",
        "seconds",
        this::oldestAge);
  }

  /** Reads the backlog for the gauges; a failure leaves them NaN, and is logged. */
  public void refresh() {
    try {
      last = outbox.backlog();
    } catch (RuntimeException e) { // the database's own, or a broken connection
      last = null;
      log.warn("cannot read the outbox for /metrics: {}", e.getMessage());
    }
  }

  private void gauge(
      MeterRegistry registry,
      String name,
      String description,
      @Nullable String unit,
      ToDoubleFunction<Outbox.Backlog> value) {
    Gauge.builder(
            name,
            this,
            g -> {
              Outbox.Backlog backlog = g.last;
              return backlog == null ? Double.NaN : value.applyAsDouble(backlog);
            })
        .description(description)
        .baseUnit(unit)
        .strongReference(true)
        .register(registry);
  }

  private double oldestAge(Outbox.Backlog backlog) {
    Instant oldest = backlog.oldestPending();
    if (oldest == null) {
      return 0;
    }
    return Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
  }
}
