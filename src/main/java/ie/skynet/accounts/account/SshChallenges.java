package ie.skynet.accounts.account;

import ie.skynet.accounts.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
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
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO ssh_challenges (challenge, username, created_at, expires_at)"
                      + " VALUES (?, ?, ?, ?)")) {
            insert.setString(1, challenge);
            insert.setString(2, username);
            insert.setString(3, clock.instant().toString());
            insert.setString(4, expires.toString());
            insert.executeUpdate();
          }
        });
  }

  /** The account's newest challenges still open (at most five). */
  List<Open> open(String username) {
    return database.read(
        "reading the challenges of " + username,
        c -> {
          List<Open> open = new ArrayList<>();
          try (PreparedStatement query =
              c.prepareStatement(
                  "SELECT id, challenge FROM ssh_challenges WHERE username = ? AND used_at IS NULL"
                      + " AND expires_at > ? ORDER BY id DESC LIMIT 5")) {
            query.setString(1, username);
            query.setString(2, clock.instant().toString());
            try (ResultSet rs = query.executeQuery()) {
              while (rs.next()) {
                open.add(new Open(rs.getLong(1), rs.getString(2)));
              }
            }
          }
          return open;
        });
  }

  /**
   * Spends the challenge, if nobody did first.
   *
   * @return whether this call spent it
   */
  boolean spend(Connection c, Open challenge, Instant at) throws SQLException {
    try (PreparedStatement use =
        c.prepareStatement(
            "UPDATE ssh_challenges SET used_at = ? WHERE id = ? AND used_at IS NULL")) {
      use.setString(1, at.toString());
      use.setLong(2, challenge.id());
      return use.executeUpdate() == 1;
    }
  }

  /** Spends every open challenge of the account. */
  static void spendAll(Connection c, String username, Instant at) throws SQLException {
    try (PreparedStatement spend =
        c.prepareStatement(
            "UPDATE ssh_challenges SET used_at = ? WHERE username = ? AND used_at IS NULL")) {
      spend.setString(1, at.toString());
      spend.setString(2, username);
      spend.executeUpdate();
    }
  }
}
