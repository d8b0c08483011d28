package ie.skynet.accounts.asks;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.Sql;
import ie.skynet.accounts.db.Transactions;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.outbox.OutgoingMail;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests the service answers by mail (signup links, forgotten usernames, password resets),
 * and the one loop that answers them; the owner of the {@code asks} table. A web request only
 * records its ask, the same whatever was asked, so neither the response nor its timing tells anyone
 * whether an address or an account exists; a background pass then queues the mail each ask should
 * get.
 */
public final class AskQueue implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AskQueue.class);
  private static final int BATCH = 50;

  /** Bounds a pass, so the mail it queued goes out before it answers still more. */
  private static final int MAX_BATCHES_PER_PASS = 40;

  private final Database database;
  private final Outbox outbox;
  private final AskRecorder recorder;

  public AskQueue(Database database, Outbox outbox, Clock clock) {
    this.database = database;
    this.outbox = outbox;
    this.recorder = new AskRecorder(this::insert, clock);
  }

  private void insert(List<AskRecorder.Pending> batch) {
    database.runInTransaction(
        "recording " + batch.size() + " requests",
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement("INSERT INTO asks (kind, value, asked_at) VALUES (?, ?, ?)")) {
            for (AskRecorder.Pending pending : batch) {
              insert.setString(1, pending.kind().code());
              insert.setString(2, pending.value());
              insert.setString(3, pending.askedAt());
              insert.addBatch();
            }
            insert.executeBatch();
          }
        });
  }

  /**
   * Records a request; returns once it is stored.
   *
   * @throws IllegalStateException if the queue is closing or too many requests are waiting to be
   *     stored
   */
  public void record(Ask.Kind kind, String value) {
    recorder.record(kind, value);
  }

  /**
   * Queues the mail each waiting request of the answerers' kinds should get, and forgets the
   * request in the same transaction. Requests are answered in batches, one transaction (one disk
   * flush) each, and each within a savepoint: one that fails stays waiting, and the others are
   * answered. For a scheduler: never throws.
   *
   * @return how many requests were answered
   */
  public int answerWaiting(List<? extends Answerer> answerers) {
    Map<Ask.Kind, Answerer> byKind = new HashMap<>();
    for (Answerer answerer : answerers) {
      answerer.kinds().forEach(kind -> byKind.put(kind, answerer));
    }
    String kinds =
        byKind.keySet().stream().map(k -> "'" + k.code() + "'").collect(Collectors.joining(", "));
    if (kinds.isEmpty()) {
      return 0;
    }
    int answered = 0;
    long after = 0; // past requests that failed this pass, so they cannot hold up the rest
    try {
      for (int batch = 0; batch < MAX_BATCHES_PER_PASS; batch++) {
        List<Ask> waiting = waiting(kinds, after);
        if (!waiting.isEmpty()) {
          after = waiting.get(waiting.size() - 1).id();
          answered += answer(waiting, byKind);
        }
        if (waiting.size() < BATCH) {
          break;
        }
      }
    } catch (RuntimeException e) {
      log.error("answering requests failed; they stay waiting for the next pass", e);
    }
    return answered;
  }

  /** How many requests wait for their answer (signup included), for the admin dashboard. */
  public long waitingCount() {
    return database.withConnection(
        "counting the waiting requests", c -> Sql.number(c, "SELECT count(*) FROM asks"));
  }

  private List<Ask> waiting(String kinds, long after) {
    return database.withConnection(
        "reading the waiting requests",
        c ->
            Sql.list(
                c,
                "SELECT id, kind, value FROM asks WHERE id > ? AND kind IN ("
                    + kinds
                    + ") ORDER BY id LIMIT "
                    + BATCH,
                rs -> new Ask(rs.getLong(1), Ask.Kind.of(rs.getString(2)), rs.getString(3)),
                after));
  }

  private int answer(List<Ask> waiting, Map<Ask.Kind, Answerer> byKind) {
    Map<Answerer, List<OutgoingMail>> queued = new IdentityHashMap<>();
    int answered =
        database.inTransaction(
            "answering " + waiting.size() + " requests",
            connection ->
                Transactions.eachInItsOwnSavepoint(
                    connection,
                    waiting,
                    (c, ask) -> {
                      if (!forget(c, ask.id())) {
                        return false; // another instance answered it
                      }
                      // Only the answerers' kinds were read.
                      Answerer answerer = Objects.requireNonNull(byKind.get(ask.kind()));
                      List<OutgoingMail> mails = answerer.answer(c, ask);
                      for (OutgoingMail mail : mails) {
                        outbox.enqueue(c, mail);
                      }
                      queued.computeIfAbsent(answerer, a -> new ArrayList<>()).addAll(mails);
                      return true;
                    },
                    (ask, e) ->
                        log.error(
                            "answering {} request {} failed; it stays waiting",
                            ask.kind().code(),
                            ask.id(),
                            e)));
    queued.forEach(Answerer::queued);
    return answered;
  }

  private static boolean forget(Connection connection, long id) throws SQLException {
    return Sql.update(connection, "DELETE FROM asks WHERE id = ?", id) == 1;
  }

  /**
   * Deletes the requests made at or before {@code cutoff} that are still waiting: each holds an
   * address or a username, and a mail answering it so late would no longer be expected. A request
   * is waiting that long only if answering it keeps failing (logged at each pass) or nothing
   * answers its kind.
   *
   * @return how many were deleted
   */
  public int forgetAskedBy(Connection c, Instant cutoff) throws SQLException {
    return Sql.update(c, "DELETE FROM asks WHERE asked_at <= ?", cutoff.toString());
  }

  /** Stores the requests already made, then refuses new ones. */
  @Override
  public void close() {
    recorder.close();
  }
}
