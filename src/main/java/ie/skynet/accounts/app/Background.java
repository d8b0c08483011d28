package ie.skynet.accounts.app;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's background threads. On one, each pass answers waiting requests, then sends what
 * that (and anything else) queued; a pass of sending stops taking new mail after a while, so a slow
 * mail server delays answering by at most that long. On the other, every tick, the periodic jobs
 * that are due run ({@link JobSchedule}): a long sync never holds up mail.
 */
final class Background implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Background.class);

  /** How long stopping waits for a pass to finish before interrupting it. */
  private static final Duration FINISHING = Duration.ofSeconds(30);

  private final Duration poll;
  private final Runnable answering;
  private final Runnable sending;
  private final Duration tick;
  private final Runnable jobs;
  private final List<ScheduledExecutorService> threads = new ArrayList<>();

  /**
   * @param poll the pause between the end of one pass and the start of the next
   * @param answering answers the requests waiting for mail
   * @param sending sends the outbox's due mail
   * @param tick how often the periodic jobs are looked at; the first look is one tick after start
   * @param jobs runs the periodic jobs that are due
   */
  Background(Duration poll, Runnable answering, Runnable sending, Duration tick, Runnable jobs) {
    this.poll = poll;
    this.answering = guarded("answering requests", answering);
    this.sending = guarded("the outbox", sending);
    this.tick = tick;
    this.jobs = guarded("the periodic jobs", jobs);
  }

  /** Starts the passes, the first at once, and the jobs' ticks. */
  synchronized void start() {
    ScheduledExecutorService passes = thread("background");
    threads.add(passes);
    ScheduledExecutorService ticks = thread("jobs");
    threads.add(ticks);
    try {
      passes.scheduleWithFixedDelay(
          () -> {
            answering.run();
            sending.run();
          },
          0,
          poll.toMillis(),
          TimeUnit.MILLISECONDS);
      ticks.scheduleWithFixedDelay(jobs, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** One daemon thread of that name: the process ends when serve does, whatever it is doing. */
  static ScheduledExecutorService thread(String name) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread thread = new Thread(r, name);
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * A task that survives anything: a scheduler silently stops repeating a task that throws, and a
   * service that quietly stops sending mail is what this project exists to prevent.
   */
  private static Runnable guarded(String what, Runnable task) {
    return () -> {
      try {
        task.run();
      } catch (Throwable e) {
        log.error("{} failed in the background; trying again next pass", what, e);
      }
    };
  }

  /**
   * Lets the pass and the job under way finish, for a while: mail a pass did not get to stays
   * queued, and a sync cut short is finished by the next, which changes only what still differs.
   */
  @Override
  public synchronized void close() {
    threads.forEach(ScheduledExecutorService::shutdown);
    try {
      for (ScheduledExecutorService thread : threads) {
        if (!thread.awaitTermination(FINISHING.toSeconds(), TimeUnit.SECONDS)) {
          log.warn("background work did not finish within 30 s; it is cut short");
          thread.shutdownNow();
        }
      }
    } catch (InterruptedException e) {
      threads.forEach(ScheduledExecutorService::shutdownNow);
      Thread.currentThread().interrupt();
    }
    threads.clear();
  }
}
