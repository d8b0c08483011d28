package ie.skynet.accounts.outbox;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.DatabaseException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends what the outbox holds. Each mail is claimed with a conditional update, so several workers
 * (or service instances) never send one mail twice; SMTP talk happens outside any transaction.
 * Transient failures are retried with exponential backoff (30 s doubling to at most an hour) for
 * about two days; permanent ones, and mail out of attempts, are marked failed for an operator.
 */
public final class OutboxWorker implements Runnable {
  static final int MAX_ATTEMPTS = 60;
  private static final Duration FIRST_RETRY = Duration.ofSeconds(30);
  private static final Duration LONGEST_RETRY = Duration.ofHours(1);
  private static final int BATCH = 50;

  /** A pass takes no new mail after this long, so the work sharing its thread gets a turn. */
  private static final Duration PASS_BUDGET = Duration.ofSeconds(5);

  /** A claim older than this belongs to a worker that died: SMTP timeouts are far shorter. */
  static final Duration LEASE = Duration.ofMinutes(15);

  private static final Logger log = LoggerFactory.getLogger(OutboxWorker.class);

  private final Database database;
  private final MailSender sender;
  private final Clock clock;
  private volatile boolean stopping;

  private final int connections;
  private final MeterRegistry metrics;
  private final Counter sentCounter;

  public OutboxWorker(Database database, MailSender sender, Clock clock, MeterRegistry metrics) {
    this(database, sender, clock, 1, metrics);
  }

  /**
   * @param connections how many mails to send at once, each lane over its own connection
   */
  public OutboxWorker(
      Database database, MailSender sender, Clock clock, int connections, MeterRegistry metrics) {
    this.database = database;
    this.sender = sender;
    this.clock = clock;
    this.connections = connections;
    this.metrics = metrics;
    this.sentCounter =
        Counter.builder("accounts.mail.sent")
            .description("Mails the mail server accepted")
            .register(metrics);
    failures(true); // at 0 from the start, so a rate over them means something at once
    failures(false);
  }

  private Counter failures(boolean retrying) {
    return Counter.builder("accounts.mail.failed")
        .description("Failed attempts to send a mail; retrying=false when it failed for good")
        .tag("retrying", Boolean.toString(retrying))
        .register(metrics);
  }

  /** For a scheduler: one pass, never throwing, so the schedule keeps running. */
  @Override
  public void run() {
    try {
      recover();
      sendDue();
    } catch (RuntimeException e) {
      log.error("mail outbox pass failed; the mail stays queued", e);
    }
  }

  /** Makes a pass in progress end after the mail it is sending, so shutting down is quick. */
  public void stop() {
    stopping = true;
  }

  /**
   * Puts mail back in the queue whose claim has outlived {@link #LEASE}: its worker died. Claims of
   * live workers (other instances) are left alone. Such a mail may have reached the server before
   * the crash and so arrive twice: the price of never losing one.
   */
  public int recover() {
    int recovered = Outbox.requeueClaimedBefore(database, now().minus(LEASE));
    if (recovered > 0) {
      log.warn(
          "{} mails were being sent when the service stopped; they will be sent again", recovered);
    }
    return recovered;
  }

  /**
   * Sends every mail that is due now.
   *
   * @return how many were accepted by the server
   */
  public int sendDue() {
    AtomicInteger sent = new AtomicInteger();
    DueFeed feed = new DueFeed();
    if (connections == 1) {
      drain(feed, sent);
      return sent.get();
    }
    // Several connections at once: a burst of signups should not wait on one server's pace.
    // Platform threads, not virtual: a lane waiting on SQLite's lock waits in native code, which
    // would pin a carrier thread and stall every virtual thread with it.
    ExecutorService pool = Executors.newFixedThreadPool(connections);
    try {
      List<Future<?>> lanes = new ArrayList<>();
      for (int i = 0; i < connections; i++) {
        lanes.add(pool.submit(() -> drain(feed, sent)));
      }
      for (Future<?> lane : lanes) {
        join(lane);
      }
    } finally {
      pool.shutdownNow();
    }
    return sent.get();
  }

  /** The due mail of one pass, read a batch at a time as the lanes need it. */
  private final class DueFeed {
    private final Queue<Outbox.Due> buffer = new ArrayDeque<>();
    private final long deadline = System.nanoTime() + PASS_BUDGET.toNanos();
    private boolean exhausted;

    synchronized Outbox.@Nullable Due next() {
      if (System.nanoTime() > deadline) {
        exhausted = true;
        buffer.clear(); // unclaimed: still pending, for the next pass
      }
      if (buffer.isEmpty() && !exhausted && !stopping) {
        List<Outbox.Due> due = due();
        buffer.addAll(due);
        exhausted = due.size() < BATCH;
      }
      return stopping ? null : buffer.poll();
    }
  }

  /** Sends from the feed over one connection until it runs dry. */
  private void drain(DueFeed feed, AtomicInteger sent) {
    try (MailSender.Session session = sender.open()) {
      for (Outbox.Due mail; (mail = feed.next()) != null; ) {
        if (claim(mail) && deliver(session, mail)) {
          sent.incrementAndGet();
        }
      }
    }
  }

  private static void join(Future<?> lane) {
    try {
      lane.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new IllegalStateException("a sending lane failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending mail", e);
    }
  }

  private List<Outbox.Due> due() {
    return Outbox.due(database, now(), BATCH);
  }

  /** Only if nobody claimed or rescheduled it since it was read. */
  private boolean claim(Outbox.Due due) {
    return Outbox.claim(database, due, now());
  }

  private boolean deliver(MailSender.Session session, Outbox.Due due) {
    Timer.Sample sending = Timer.start(metrics);
    try {
      session.send(due.mail());
      smtp(sending, "accepted");
    } catch (MailException e) {
      smtp(sending, e.isTransient() ? "transient" : "refused");
      failed(due, e);
      return false;
    } catch (RuntimeException e) {
      smtp(sending, "error");
      // A bug in sending must not strand the mail as "sending": retry it like a transient fault.
      failed(due, new MailException("unexpected failure: " + e, true, e));
      return false;
    }
    // The body may hold a one-time link: once delivered it has no business staying here. The
    // update is tried again if it fails: left "sending", the mail would go out a second time.
    for (int attempt = 1; ; attempt++) {
      try {
        Outbox.markSent(database, due.id(), now());
        sentCounter.increment();
        return true;
      } catch (DatabaseException e) {
        if (attempt == 3) {
          log.error(
              "mail {} was delivered but could not be marked sent; it may go out again",
              due.id(),
              e);
          throw e;
        }
      }
    }
  }

  /** The SMTP conversation of one mail (a connection included when one had to be made). */
  private void smtp(Timer.Sample sending, String outcome) {
    sending.stop(
        Timer.builder("accounts.smtp.send")
            .description("Handing one mail to the mail server, connecting included when needed")
            .tag("outcome", outcome)
            .register(metrics));
  }

  private void failed(Outbox.Due due, MailException e) {
    int attempts = due.attempts() + 1;
    String error = String.valueOf(e.getMessage());
    boolean retrying = e.isTransient() && attempts < MAX_ATTEMPTS;
    failures(retrying).increment();
    if (retrying) {
      Instant next = now().plus(backoff(attempts));
      log.warn(
          "mail {} to {} not sent (attempt {}), retrying at {}: {}",
          due.id(),
          due.mail().to(),
          attempts,
          next,
          error);
      Outbox.retryAt(database, due.id(), next, error);
    } else {
      log.error(
          "mail {} to {} failed for good after {} attempts: {}",
          due.id(),
          due.mail().to(),
          attempts,
          error);
      Outbox.markFailed(
          database,
          due.id(),
          (e.isTransient() ? "gave up after " + attempts + " attempts: " : "") + error);
    }
  }

  static Duration backoff(int attempts) {
    Duration delay = FIRST_RETRY.multipliedBy(1L << Math.min(attempts - 1, 20));
    return delay.compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : delay;
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }
}
