package ie.skynet.accounts.app;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's one background thread: each pass answers waiting requests, then sends what that
 * (and anything else) queued. A pass of sending stops taking new mail after a while, so a slow mail
 * server delays answering by at most that long.
 */
final class Background implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Background.class);

  /** How long stopping waits for a pass to finish before interrupting it. */
  private static final Duration FINISHING = Duration.ofSeconds(30);

  private final Duration poll;
  private final Runnable answering;
  private final Runnable sending;
  private @Nullable ScheduledExecutorService scheduler;

  /**
   * @param poll the pause between the end of one pass and the start of the next
   * @param answering answers the requests waiting for mail
   * @param sending sends the outbox's due mail
   */
  Background(Duration poll, Runnable answering, Runnable sending) {
    this.poll = poll;
    this.answering = guarded("answering requests", answering);
    this.sending = guarded("the outbox", sending);
  }

  /** Starts the passes, the first at once. */
  synchronized void start() {
    ScheduledExecutorService started =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "background");
              thread.setDaemon(true);
              return thread;
            });
    try {
      started.scheduleWithFixedDelay(
          () -> {
            answering.run();
            sending.run();
          },
          0,
          poll.toMillis(),
          TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      started.shutdownNow();
      throw e;
    }
    scheduler = started;
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

  /** Lets the pass under way finish, for a while; mail it did not get to stays queued. */
  @Override
  public synchronized void close() {
    ScheduledExecutorService stopping = scheduler;
    if (stopping == null) {
      return;
    }
    scheduler = null;
    stopping.shutdown();
    try {
      if (!stopping.awaitTermination(FINISHING.toSeconds(), TimeUnit.SECONDS)) {
        log.warn("the outbox worker did not finish within 30 s; its mail stays queued");
        stopping.shutdownNow();
      }
    } catch (InterruptedException e) {
      stopping.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
