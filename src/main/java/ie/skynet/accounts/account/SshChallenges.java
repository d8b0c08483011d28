package ie.skynet.accounts.account;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.Sql;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * The texts members sign for SSH recovery, and the owner of the {@code ssh_challenges} table. Kept
 * as they are, not hashed like mailed links: checking a signature needs the text signed, and the
 * text is worth nothing without a signature by one of the account's keys. Single use, short-lived.
 */
final class SshChallenges {
  /** A challenge that can still be answered. */
  record Open(long id, String challenge) {}

  private final Database database;
  private final Clock clock;

  SshChallenges(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /**
   * @param username the account it can recover, or "" for a challenge nothing will accept
   */
  void add(String challenge, String username, Instant expires) {
    database.runInTransaction(
        "recording an SSH recovery challenge",
        c ->
            Sql.update(
                c,
                "INSERT INTO ssh_challenges (challenge, username, created_at, expires_at)"
                    + " VALUES (?, ?, ?, ?)",
                challenge,
                username,
                clock.instant().toString(),
                expires.toString()));
  }

  /** The account's newest challenges still open (at most five). */
  List<Open> open(String username) {
    return database.withConnection(
        "reading the challenges of " + username,
        c ->
            Sql.list(
                c,
                "SELECT id, challenge FROM ssh_challenges WHERE username = ? AND used_at IS NULL"
                    + " AND expires_at > ? ORDER BY id DESC LIMIT 5",
                rs -> new Open(rs.getLong(1), rs.getString(2)),
                username,
                clock.instant().toString()));
  }

  /**
   * Spends the challenge, if nobody did first.
   *
   * @return whether this call spent it
   */
  boolean spend(Connection c, Open challenge, Instant at) throws SQLException {
    return Sql.update(
            c,
            "UPDATE ssh_challenges SET used_at = ? WHERE id = ? AND used_at IS NULL",
            at.toString(),
            challenge.id())
        == 1;
  }

  /** Spends every open challenge of the account. */
  static void spendAll(Connection c, String username, Instant at) throws SQLException {
    Sql.update(
        c,
        "UPDATE ssh_challenges SET used_at = ? WHERE username = ? AND used_at IS NULL",
        at.toString(),
        username);
  }

  /**
   * Deletes every challenge that expired by {@code now}, answered or not: it can recover nothing
   * any more, and it names an account.
   *
   * @return how many were deleted
   */
  static int removeExpired(Connection c, Instant now) throws SQLException {
    return Sql.update(c, "DELETE FROM ssh_challenges WHERE expires_at <= ?", now.toString());
  }
}
