package ie.skynet.accounts.db;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
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
    Sql.update(
        connection,
        "INSERT INTO audit_log (at, actor, action, target, client, outcome, detail)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)",
        clock.instant().toString(),
        neutral(entry.actor()),
        neutral(entry.action()),
        neutral(entry.target()),
        neutral(entry.client()),
        entry.outcome().code(),
        neutral(entry.detail()));
  }

  /**
   * The text with every control and formatting character written out as a backslash, u and four hex
   * digits (CR and LF as backslash r and backslash n): a value someone typed can never start a line
   * of its own in an export or a terminal, nor hide what follows it.
   */
  static String neutral(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(
            c -> {
              if (c == '\r') {
                out.append("\\r");
              } else if (c == '\n') {
                out.append("\\n");
              } else if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.toString();
  }

  /** Records an entry on its own, for a change that has no transaction of its own here. */
  public void record(Database database, Entry entry) {
    database.withConnection(
        "recording " + entry.action() + " in the audit log",
        c -> {
          record(c, entry);
          return entry;
        });
  }

  /**
   * Deletes the entries made at or before {@code cutoff}: the trail is kept for a while, not for
   * ever, as it names people.
   *
   * @return how many were deleted
   */
  public int forgetUpTo(Connection connection, Instant cutoff) throws SQLException {
    return Sql.update(connection, "DELETE FROM audit_log WHERE at <= ?", cutoff.toString());
  }

  /** The latest entries about an account, newest first. */
  public List<Recorded> about(Database database, String target, int limit) {
    return search(database, new Filter("", "", target), limit);
  }

  /**
   * Which entries to show; an empty part matches any value.
   *
   * @param actor the username acting, exactly
   * @param action the action code, exactly
   * @param target the account changed, exactly
   */
  public record Filter(String actor, String action, String target) {}

  /** The latest entries that pass the filter, newest first. */
  public List<Recorded> search(Database database, Filter filter, int limit) {
    // Only the parts given: a target alone then finds its entries by the index on target.
    StringBuilder where = new StringBuilder();
    List<Object> values = new java.util.ArrayList<>();
    for (var part :
        List.of(
            java.util.Map.entry("actor", filter.actor()),
            java.util.Map.entry("action", filter.action()),
            java.util.Map.entry("target", filter.target()))) {
      if (!part.getValue().isEmpty()) {
        where.append(where.isEmpty() ? " WHERE " : " AND ").append(part.getKey()).append(" = ?");
        values.add(part.getValue());
      }
    }
    values.add(limit);
    return database.withConnection(
        "reading the audit log",
        c ->
            Sql.list(
                c,
                "SELECT at, actor, action, target, client, outcome, detail FROM audit_log"
                    + where
                    + " ORDER BY id DESC LIMIT ?",
                rs ->
                    new Recorded(
                        Instant.parse(rs.getString(1)),
                        new Entry(
                            rs.getString(2),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            Outcome.valueOf(rs.getString(6).toUpperCase(Locale.ROOT)),
                            rs.getString(7))),
                values.toArray()));
  }

  /** The actions recorded so far, for choosing one to filter by. */
  public List<String> actions(Database database) {
    return database.withConnection(
        "reading the audit log's actions",
        c ->
            Sql.list(
                c, "SELECT DISTINCT action FROM audit_log ORDER BY action", rs -> rs.getString(1)));
  }
}
