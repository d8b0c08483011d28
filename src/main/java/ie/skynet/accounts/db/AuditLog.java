package ie.skynet.accounts.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The audit trail of changes to accounts: who did what to which account, from where, and how it
 * ended. Entries are written in the transaction of the change they record, so neither exists
 * without the other. Callers must never put a secret in an entry.
 */
public final class AuditLog {
  /** The actor for someone who is not logged in: a recovery link, a signature, a signup. */
  public static final String ANONYMOUS = "-";

  private final Clock clock;

  public AuditLog(Clock clock) {
    this.clock = clock;
  }

  public enum Outcome {
    DONE,
    REFUSED;

    String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * @param actor the username acting, or {@link #ANONYMOUS}
   * @param action what was done, as a short code such as {@code ssh-key-added}
   * @param target the username of the account changed
   * @param client the client address the request came from
   * @param detail what and why, in words; never a password, token or key
   */
  public record Entry(
      String actor, String action, String target, String client, Outcome outcome, String detail) {}

  /** An entry as stored, with its time. */
  public record Recorded(Instant at, Entry entry) {}

  public void record(Connection connection, Entry entry) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO audit_log (at, actor, action, target, client, outcome, detail)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, clock.instant().toString());
      insert.setString(2, entry.actor());
      insert.setString(3, entry.action());
      insert.setString(4, entry.target());
      insert.setString(5, entry.client());
      insert.setString(6, entry.outcome().code());
      insert.setString(7, entry.detail());
      insert.executeUpdate();
    }
  }

  /** Records an entry on its own, for a change that has no transaction of its own here. */
  public void record(Database database, Entry entry) {
    try (Connection connection = database.connect()) {
      record(connection, entry);
    } catch (SQLException e) {
      throw new DatabaseException("recording " + entry.action() + " in the audit log failed", e);
    }
  }

  /** The latest entries about an account, newest first. */
  public List<Recorded> about(Database database, String target, int limit) {
    List<Recorded> entries = new ArrayList<>();
    try (Connection connection = database.connect();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT at, actor, action, target, client, outcome, detail FROM audit_log"
                    + " WHERE target = ? ORDER BY id DESC LIMIT ?")) {
      query.setString(1, target);
      query.setInt(2, limit);
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          entries.add(
              new Recorded(
                  Instant.parse(rs.getString(1)),
                  new Entry(
                      rs.getString(2),
                      rs.getString(3),
                      rs.getString(4),
                      rs.getString(5),
                      Outcome.valueOf(rs.getString(6).toUpperCase(Locale.ROOT)),
                      rs.getString(7))));
        }
      }
    } catch (SQLException e) {
      throw new DatabaseException("reading the audit log of " + target + " failed", e);
    }
    return entries;
  }
}
