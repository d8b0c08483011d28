package ie.skynet.accounts.asks;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.DatabaseException;
import java.sql.PreparedStatement;
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

  private record Pending(
      Ask.Kind kind, String value, String askedAt, CompletableFuture<@Nullable Void> done) {}

  private final Database database;
  private final Clock clock;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>(MAX_WAITING);
  // Guarded by this: offering and closing exclude each other, so nothing is queued after the
  // writer has taken its last look.
  private @Nullable Thread writer;
  private boolean closed;

  AskRecorder(Database database, Clock clock) {
    this.database = database;
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
      if (writer == null || !writer.isAlive()) {
        Thread thread = new Thread(this::writeUntilClosed, "request-writer");
        thread.setDaemon(true);
        thread.start();
        writer = thread;
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
          write(batch);
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

  private void write(List<Pending> batch) {
    database.runInTransaction(
        "recording " + batch.size() + " requests",
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement("INSERT INTO asks (kind, value, asked_at) VALUES (?, ?, ?)")) {
            for (Pending pending : batch) {
              insert.setString(1, pending.kind().code());
              insert.setString(2, pending.value());
              insert.setString(3, pending.askedAt());
              insert.addBatch();
            }
            insert.executeBatch();
          }
        });
  }

  /** Writes what is waiting, then stops the writer; later requests are refused. */
  @Override
  public void close() {
    Thread thread;
    synchronized (this) {
      closed = true;
      thread = writer;
    }
    if (thread != null) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
