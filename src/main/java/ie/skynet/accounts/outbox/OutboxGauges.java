package ie.skynet.accounts.outbox;

import ie.skynet.accounts.db.TableGauges;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The outbox's backlog as gauges, read from {@code mail_outbox}: mail is also sent by {@code
 * accounts outbox send} in another process. A backlog that grows, or a pending mail that ages, is
 * how an operator learns that mail stopped going out.
 */
public final class OutboxGauges {
  private OutboxGauges() {}

  /** Registers the backlog's gauges; they show it once the returned gauges are refreshed. */
  public static TableGauges<Outbox.Backlog> register(
      Outbox outbox, Clock clock, MeterRegistry registry) {
    return new TableGauges<>("the outbox", outbox::backlog, registry)
        .gauge(
            "accounts.mail.pending",
            "Mails waiting to be sent, retries included",
            null,
            Outbox.Backlog::pending)
        .gauge(
            "accounts.mail.sending",
            "Mails claimed by a worker right now",
            null,
            Outbox.Backlog::sending)
        .gauge(
            "accounts.mail.failed.waiting",
            "Mails that failed for good and wait for an operator (accounts outbox resend)",
            null,
            Outbox.Backlog::failed)
        .gauge(
            "accounts.mail.oldest.pending.age",
            "How long the oldest pending mail has waited; 0 when none waits",
            "seconds",
            backlog -> oldestAge(backlog, clock));
  }

  private static double oldestAge(Outbox.Backlog backlog, Clock clock) {
    Instant oldest = backlog.oldestPending();
    if (oldest == null) {
      return 0;
    }
    return Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0);
  }
}
