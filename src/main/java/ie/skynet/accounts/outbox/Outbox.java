package ie.skynet.accounts.outbox;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.Sql;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Writes mails to the outbox, and lets operators see and resend them. */
public final class Outbox {
  private final Database database;
  private final Clock clock;
  private final MeterRegistry metrics;

  public Outbox(Database database, Clock clock, MeterRegistry metrics) {
    this.database = database;
    this.clock = clock;
    this.metrics = metrics;
  }

  /**
   * Queues a mail in the caller's transaction: it is sent only if that transaction commits.
   *
   * @return the mail's id
   */
  public long enqueue(Connection connection, OutgoingMail mail) throws SQLException {
    String now = now().toString();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO mail_outbox (recipient, template, subject, body_text, body_html, status,"
                + " next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)",
            Statement.RETURN_GENERATED_KEYS)) {
      insert.setString(1, mail.to());
      insert.setString(2, mail.template());
      insert.setString(3, mail.subject());
      insert.setString(4, mail.text());
      insert.setString(5, mail.html());
      insert.setString(6, now);
      insert.setString(7, now);
      insert.executeUpdate();
      // Counted when written: a caller's transaction rolled back later still counts. The backlog
      // gauges (OutboxGauges) read the table itself, so they never count such a mail.
      Counter.builder("accounts.mail.queued")
          .description("Mails written to the outbox, by template")
          .tag("template", mail.template())
          .register(metrics)
          .increment();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  /**
   * What waits in the outbox, for the metrics and doctor: one query, over the status index.
   *
   * @param oldestPending when the oldest mail still pending was queued; null when none is
   * @param oldestWaiting when the oldest mail pending or being sent was queued; null when none is
   */
  public record Backlog(
      long pending,
      long sending,
      long failed,
      @Nullable Instant oldestPending,
      @Nullable Instant oldestWaiting) {}

  public Backlog backlog() {
    return database.withConnection("reading the mail outbox's backlog", Outbox::backlog);
  }

  /** As {@link #backlog()}, on the caller's connection. */
  public static Backlog backlog(Connection connection) throws SQLException {
    try (PreparedStatement query =
            connection.prepareStatement(
                "SELECT"
                    + " count(*) FILTER (WHERE status = 'pending'),"
                    + " count(*) FILTER (WHERE status = 'sending'),"
                    + " count(*) FILTER (WHERE status = 'failed'),"
                    + " min(created_at) FILTER (WHERE status = 'pending'),"
                    + " min(created_at) FILTER (WHERE status IN ('pending', 'sending'))"
                    + " FROM mail_outbox WHERE status IN ('pending', 'sending', 'failed')");
        ResultSet rs = query.executeQuery()) {
      rs.next();
      return new Backlog(
          rs.getLong(1),
          rs.getLong(2),
          rs.getLong(3),
          instant(rs.getString(4)),
          instant(rs.getString(5)));
    }
  }

  private static @Nullable Instant instant(@Nullable String text) {
    return text == null ? null : Instant.parse(text);
  }

  /**
   * Where the newest mail of this kind to this recipient, queued at or after {@code since}, stands.
   *
   * @param lastError why its last attempt failed; null if none did
   */
  public record Delivery(MailStatus status, @Nullable String lastError) {}

  public Optional<Delivery> delivery(String recipient, String template, Instant since) {
    return database.withConnection(
        "reading the mail to " + recipient,
        c ->
            Sql.first(
                c,
                "SELECT status, last_error FROM mail_outbox WHERE recipient = ? AND template = ?"
                    + " AND created_at >= ? ORDER BY id DESC LIMIT 1",
                rs -> new Delivery(MailStatus.of(rs.getString(1)), rs.getString(2)),
                recipient,
                template,
                since.toString()));
  }

  /**
   * Deletes the mails of these kinds to this recipient queued at or after {@code since}: what a
   * rehearsal sent to its operator, so nothing of it stays.
   */
  public void forget(Connection connection, String recipient, Instant since, List<String> templates)
      throws SQLException {
    List<Object> values = new ArrayList<>(List.of(recipient, since.toString()));
    values.addAll(templates);
    Sql.update(
        connection,
        "DELETE FROM mail_outbox WHERE recipient = ? AND created_at >= ? AND template IN ("
            + "?, ".repeat(templates.size() - 1)
            + "?)",
        values.toArray());
  }

  /**
   * Deletes the mail sent at or before {@code cutoff}: its body went when it was sent, but the row
   * still names its recipient. The backlog (metrics, doctor) counts only mail not yet sent, and a
   * preflight reads only the mail of its own run, so neither misses it.
   *
   * @return how many were deleted
   */
  public int forgetSentBy(Connection connection, Instant cutoff) throws SQLException {
    return Sql.update(
        connection,
        "DELETE FROM mail_outbox WHERE status = 'sent' AND sent_at <= ?",
        cutoff.toString());
  }

  /**
   * Deletes the mail that failed for good and was last tried at or before {@code cutoff}: kept
   * until then for an operator to see and resend, as it still holds its body.
   *
   * @return how many were deleted
   */
  public int forgetFailedBy(Connection connection, Instant cutoff) throws SQLException {
    return Sql.update(
        connection,
        "DELETE FROM mail_outbox WHERE status = 'failed' AND coalesce(claimed_at, created_at) <= ?",
        cutoff.toString());
  }

  /**
   * How many mails are in each state.
   *
   * @param retrying pending mails that have failed at least once
   */
  public record Counts(long pending, long retrying, long sending, long sent, long failed) {}

  public Counts counts() {
    return database.withConnection(
        "counting the mail outbox",
        c ->
            Sql.first(
                    c,
                    "SELECT"
                        + " count(*) FILTER (WHERE status = 'pending'),"
                        + " count(*) FILTER (WHERE status = 'pending' AND last_error IS NOT NULL),"
                        + " count(*) FILTER (WHERE status = 'sending'),"
                        + " count(*) FILTER (WHERE status = 'sent'),"
                        + " count(*) FILTER (WHERE status = 'failed')"
                        + " FROM mail_outbox",
                    rs ->
                        new Counts(
                            rs.getLong(1),
                            rs.getLong(2),
                            rs.getLong(3),
                            rs.getLong(4),
                            rs.getLong(5)))
                .orElseThrow());
  }

  /**
   * The outbox since a moment, for the projector page: counts only, never a recipient.
   *
   * @param sent mails sent at or after the moment
   * @param waiting mails waiting to be sent now (pending or being sent), however old
   * @param failed mails queued at or after the moment that have failed for good
   */
  public record Since(long sent, long waiting, long failed) {}

  public Since since(Instant since) {
    String at = since.toString();
    return database.withConnection(
        "counting the mail outbox since " + at,
        c ->
            Sql.first(
                    c,
                    "SELECT"
                        + " count(*) FILTER (WHERE status = 'sent' AND sent_at >= ?),"
                        + " count(*) FILTER (WHERE status IN ('pending', 'sending')),"
                        + " count(*) FILTER (WHERE status = 'failed' AND created_at >= ?)"
                        + " FROM mail_outbox",
                    rs -> new Since(rs.getLong(1), rs.getLong(2), rs.getLong(3)),
                    at,
                    at)
                .orElseThrow());
  }

  /** Mails, newest first; all of them when {@code status} is null. */
  public List<OutboxEntry> list(@Nullable MailStatus status, int limit) {
    String code = status == null ? null : status.code();
    return database.withConnection(
        "listing the mail outbox",
        c ->
            Sql.list(
                c,
                "SELECT id, recipient, template, subject, status, attempts, next_attempt_at,"
                    + " last_error, created_at, sent_at FROM mail_outbox"
                    + " WHERE ? IS NULL OR status = ? ORDER BY id DESC LIMIT ?",
                rs ->
                    new OutboxEntry(
                        rs.getLong("id"),
                        rs.getString("recipient"),
                        rs.getString("template"),
                        rs.getString("subject"),
                        MailStatus.of(rs.getString("status")),
                        rs.getInt("attempts"),
                        Instant.parse(rs.getString("next_attempt_at")),
                        rs.getString("last_error"),
                        Instant.parse(rs.getString("created_at")),
                        instant(rs.getString("sent_at"))),
                code,
                code,
                limit));
  }

  /**
   * Queues failed mails again, now, with a fresh count of attempts. A sent mail is never sent
   * again: its body is gone.
   *
   * @param ids the mails to resend; empty means every failed mail
   * @return how many were queued again
   */
  public int resend(List<Long> ids) {
    String where = ids.isEmpty() ? "" : " AND id IN (" + "?, ".repeat(ids.size() - 1) + "?)";
    List<Object> values = new ArrayList<>();
    values.add(now().toString());
    values.addAll(ids);
    return database.withConnection(
        "queueing failed mail again",
        c ->
            Sql.update(
                c,
                "UPDATE mail_outbox SET status = 'pending', attempts = 0, next_attempt_at = ?,"
                    + " last_error = NULL WHERE status = 'failed'"
                    + where,
                values.toArray()));
  }

  // The worker's statements: claiming, and recording how sending went.

  /** A mail due to be sent, as read; a claim succeeds only if its attempts are still these. */
  record Due(long id, int attempts, OutgoingMail mail) {}

  static List<Due> due(Database database, Instant now, int limit) {
    return database.withConnection(
        "reading the mail outbox",
        c ->
            Sql.list(
                c,
                "SELECT id, attempts, recipient, template, subject, body_text, body_html"
                    + " FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ?"
                    + " ORDER BY next_attempt_at, id LIMIT ?",
                rs ->
                    new Due(
                        rs.getLong("id"),
                        rs.getInt("attempts"),
                        new OutgoingMail(
                            rs.getString("recipient"),
                            rs.getString("template"),
                            rs.getString("subject"),
                            String.valueOf(rs.getString("body_text")),
                            rs.getString("body_html"))),
                now.toString(),
                limit));
  }

  /** Only if nobody claimed or rescheduled it since it was read. */
  static boolean claim(Database database, Due due, Instant now) {
    return update(
            database,
            "UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, claimed_at = ?"
                + " WHERE id = ? AND status = 'pending' AND attempts = ? AND next_attempt_at <= ?",
            now.toString(),
            due.id(),
            due.attempts(),
            now.toString())
        == 1;
  }

  /** Sent: the body goes, as it may hold a one-time link. */
  static void markSent(Database database, long id, Instant now) {
    update(
        database,
        "UPDATE mail_outbox SET status = 'sent', sent_at = ?, body_text = NULL,"
            + " body_html = NULL, last_error = NULL WHERE id = ?",
        now.toString(),
        id);
  }

  static void retryAt(Database database, long id, Instant next, String error) {
    update(
        database,
        "UPDATE mail_outbox SET status = 'pending', next_attempt_at = ?, last_error = ? WHERE id = ?",
        next.toString(),
        error,
        id);
  }

  static void markFailed(Database database, long id, String error) {
    update(
        database,
        "UPDATE mail_outbox SET status = 'failed', last_error = ? WHERE id = ?",
        error,
        id);
  }

  /** Puts back in the queue the mail claimed before {@code before} and still being sent. */
  static int requeueClaimedBefore(Database database, Instant before) {
    return update(
        database,
        "UPDATE mail_outbox SET status = 'pending' WHERE status = 'sending' AND claimed_at < ?",
        before.toString());
  }

  private static int update(Database database, String sql, Object... values) {
    return database.withConnection("updating the mail outbox", c -> Sql.update(c, sql, values));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }
}
