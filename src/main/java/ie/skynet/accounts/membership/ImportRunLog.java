package ie.skynet.accounts.membership;

import ie.skynet.accounts.db.Sql;
import ie.skynet.accounts.db.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The {@code import_runs} history (and its {@code import_rejects}): a row when an import starts,
 * completed when it ends.
 */
public final class ImportRunLog {
  private ImportRunLog() {}

  static long start(Connection connection, String source, String file, Instant started)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO import_runs (source, file_name, started_at, status) VALUES (?, ?, ?,"
                + " 'running')",
            Statement.RETURN_GENERATED_KEYS)) {
      insert.setString(1, source);
      insert.setString(2, file);
      insert.setString(3, started.toString());
      insert.executeUpdate();
      try (ResultSet keys = insert.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  /**
   * The last finished run and the last accepted one, for the metrics; one query, over a table of
   * one row per import.
   *
   * @param lastFinished when the last finished run ended; null if none has
   * @param lastStatus that run's status
   * @param lastAccepted when the last run with status {@code ok} ended; null if none has
   */
  record Latest(
      @Nullable Instant lastFinished,
      @Nullable String lastStatus,
      @Nullable Instant lastAccepted) {}

  /**
   * The newest run, finished or not, as doctor reports it.
   *
   * @param source the file imported, or the source's name
   * @param message why it was refused or failed; empty if it was not
   */
  public record LastRun(
      Instant started,
      String status,
      String source,
      long rowsRead,
      long rejected,
      String message) {}

  public static Optional<LastRun> lastRun(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT started_at, status, coalesce(file_name, source), rows_read, rejected,"
                    + " coalesce(message, '') FROM import_runs ORDER BY id DESC LIMIT 1")) {
      if (!rs.next()) {
        return Optional.empty();
      }
      return Optional.of(
          new LastRun(
              Instant.parse(rs.getString(1)),
              rs.getString(2),
              rs.getString(3),
              rs.getLong(4),
              rs.getLong(5),
              rs.getString(6)));
    }
  }

  /**
   * A run as the import history lists it.
   *
   * @param finished when it ended; null while it runs (or if its process died)
   */
  public record Run(
      long id,
      Instant started,
      @Nullable Instant finished,
      String status,
      String source,
      boolean forced,
      long rowsRead,
      long inserted,
      long updated,
      long unchanged,
      long rejected,
      String message) {}

  private static final String RUN =
      "SELECT id, started_at, finished_at, status, coalesce(file_name, source), forced, rows_read,"
          + " inserted, updated, unchanged, rejected, coalesce(message, '') FROM import_runs";

  private static Run runOf(ResultSet rs) throws SQLException {
    return new Run(
        rs.getLong(1),
        Instant.parse(rs.getString(2)),
        instant(rs.getString(3)),
        rs.getString(4),
        rs.getString(5),
        rs.getBoolean(6),
        rs.getLong(7),
        rs.getLong(8),
        rs.getLong(9),
        rs.getLong(10),
        rs.getLong(11),
        rs.getString(12));
  }

  /** The latest runs, newest first. */
  public static List<Run> history(Connection connection, int limit) throws SQLException {
    return Sql.list(connection, RUN + " ORDER BY id DESC LIMIT ?", ImportRunLog::runOf, limit);
  }

  public static Optional<Run> run(Connection connection, long id) throws SQLException {
    return Sql.first(connection, RUN + " WHERE id = ?", ImportRunLog::runOf, id);
  }

  /** Every row the run rejected, in the order of the file. */
  public static List<Reject> rejects(Connection connection, long runId) throws SQLException {
    return Sql.list(
        connection,
        "SELECT line, column_no, field, reason FROM import_rejects WHERE run_id = ?"
            + " ORDER BY line, column_no",
        rs -> {
          int column = rs.getInt(2);
          return new Reject(
              rs.getLong(1), rs.wasNull() ? null : column, rs.getString(3), rs.getString(4));
        },
        runId);
  }

  static Latest latest(Connection connection) throws SQLException {
    try (PreparedStatement query =
            connection.prepareStatement(
                "SELECT (SELECT finished_at FROM import_runs WHERE finished_at IS NOT NULL"
                    + " ORDER BY id DESC LIMIT 1), (SELECT status FROM import_runs WHERE"
                    + " finished_at IS NOT NULL ORDER BY id DESC LIMIT 1), (SELECT"
                    + " max(finished_at) FROM import_runs WHERE status = 'ok')");
        ResultSet rs = query.executeQuery()) {
      rs.next();
      return new Latest(instant(rs.getString(1)), rs.getString(2), instant(rs.getString(3)));
    }
  }

  /**
   * When the last accepted import finished: when our copy of the membership list was last updated.
   * Empty if no import has been accepted.
   */
  public static Optional<Instant> lastAccepted(Connection connection) throws SQLException {
    return Optional.ofNullable(latest(connection).lastAccepted());
  }

  private static @Nullable Instant instant(@Nullable String text) {
    return text == null ? null : Instant.parse(text);
  }

  static void finish(Connection connection, long runId, ImportReport report, Instant finished)
      throws SQLException {
    Transactions.runInTransaction(
        connection,
        c -> {
          try (PreparedStatement update =
                  c.prepareStatement(
                      "UPDATE import_runs SET sha256 = ?, finished_at = ?, forced = ?, rows_read ="
                          + " ?, inserted = ?, updated = ?, unchanged = ?, skipped = ?, rejected ="
                          + " ?, status = ?, message = ? WHERE id = ?");
              PreparedStatement reject =
                  c.prepareStatement(
                      "INSERT INTO import_rejects (run_id, line, column_no, field, reason) VALUES"
                          + " (?, ?, ?, ?, ?)")) {
            update.setString(1, report.sha256());
            update.setString(2, finished.toString());
            update.setBoolean(3, report.forced());
            update.setLong(4, report.rowsRead());
            update.setLong(5, report.inserted());
            update.setLong(6, report.updated());
            update.setLong(7, report.unchanged());
            update.setLong(8, report.skipped());
            update.setLong(9, report.rejected());
            update.setString(10, report.status().code());
            update.setString(11, report.message());
            update.setLong(12, runId);
            update.executeUpdate();
            for (Reject r : report.rejects()) {
              reject.setLong(1, runId);
              reject.setLong(2, r.line());
              if (r.column() == null) {
                reject.setNull(3, Types.INTEGER);
              } else {
                reject.setInt(3, r.column());
              }
              reject.setString(4, r.field());
              reject.setString(5, r.reason());
              reject.addBatch();
            }
            reject.executeBatch();
          }
        });
  }
}
