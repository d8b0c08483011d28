package ie.skynet.accounts.asks;

import ie.skynet.accounts.db.DatabaseException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes requests with group commit: requests arriving together share one transaction, so one disk
 * flush, while each still returns only once its row is durable. A busy signup event is many
 * requests at once, and a flush per request would cap them at the disk's flush rate.
 */
final class AskRecorder implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AskRecorder.class);
  private static final int MAX_BATCH = 500;
  private static final int MAX_WAITING = 10_000;
  private static final long WAIT_SECONDS = 30;

  /** A request waiting to be stored. */
  record Pending(
      Ask.Kind kind, String value, String askedAt, CompletableFuture<@Nullable Void> done) {}

  /** Stores a batch in one transaction (the queue's table is its owner's to write). */
  @FunctionalInterface
  interface Writer {
    void write(List<Pending> batch);
  }

  private final Writer writer;
  private final Clock clock;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(MAX_WAITING);
  // Guarded by this: offering and closing exclude each other, so nothing is queued after the
  // writer has taken its last look.
  private @Nullable Thread thread;
  private boolean closed;

  AskRecorder(Writer writer, Clock clock) {
    this.writer = writer;
    this.clock = clock;
  }

  /** Returns once the request is stored; throws if it could not be. */
  void record(Ask.Kind kind, String value) {
    Pending pending =
        new Pending(kind, value, clock.instant().toString(), new CompletableFuture<>());
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the service is stopping");
      }
      if (thread == null || !thread.isAlive()) {
        Thread started = new Thread(this::writeUntilClosed, "request-writer");
        started.setDaemon(true);
        started.start();
        thread = started;
      }
      if (!queue.offer(pending)) {
        throw new IllegalStateException(MAX_WAITING + " requests are already waiting");
      }
    }
    try {
      pending.done().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      // Every request of a failed batch gets its own exception, with the shared cause.
      throw new DatabaseException(
          "recording a request failed", java.util.Objects.requireNonNullElse(e.getCause(), e));
    } catch (TimeoutException e) {
      throw new IllegalStateException("recording a request took over " + WAIT_SECONDS + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while recording a request", e);
    }
  }

  private void writeUntilClosed() {
    List<Pending> batch = new ArrayList<>();
    try {
      while (!isClosed() || !queue.isEmpty()) {
        Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        try {
          writer.write(batch);
          batch.forEach(p -> p.done().complete(null));
        } catch (Throwable e) { // even an Error must not leave callers waiting
          batch.forEach(p -> p.done().completeExceptionally(e));
          log.error("recording {} requests failed; they were told so", batch.size(), e);
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      // Whatever is left is refused now rather than left to time out.
      IllegalStateException stopped = new IllegalStateException("the request writer stopped");
      batch.forEach(p -> p.done().completeExceptionally(stopped));
      for (Pending left; (left = queue.poll()) != null; ) {
        left.done().completeExceptionally(stopped);
      }
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /** Writes what is waiting, then stops the writer; later requests are refused. */
  @Override
  public void close() {
    Thread running;
    synchronized (this) {
      closed = true;
      running = thread;
    }
    if (running != null) {
      try {
        running.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
