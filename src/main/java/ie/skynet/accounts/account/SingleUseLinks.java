package ie.skynet.accounts.account;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The tables of mailed single-use links ({@code password_resets}, {@code email_changes}): each row
 * holds the SHA-256 of its token, the account, one value (the address), an expiry and when it was
 * used. Looking a link up never spends it; claiming it does, only if nobody did first.
 */
final class SingleUseLinks {
  /** What a token turned out to be. */
  sealed interface Lookup {
    record Open(String username, String value) implements Lookup {}

    record Unknown() implements Lookup {}

    record Expired() implements Lookup {}

    record Used() implements Lookup {}
  }

  static final SingleUseLinks RESETS = new SingleUseLinks("password_resets", "email");
  static final SingleUseLinks ADDRESS_CHANGES = new SingleUseLinks("email_changes", "new_email");
  static final SingleUseLinks SSH_CHALLENGES = new SingleUseLinks("ssh_challenges", "challenge");

  private final String table;
  private final String valueColumn;

  /**
   * @param table and valueColumn name the table and its one value; constants of this package, never
   *     input
   */
  private SingleUseLinks(String table, String valueColumn) {
    this.table = table;
    this.valueColumn = valueColumn;
  }

  Lookup find(Connection c, String token, Instant now) throws SQLException {
    if (!BearerTokens.wellFormed(token)) {
      return new Lookup.Unknown();
    }
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT username, "
                + valueColumn
                + ", expires_at, used_at FROM "
                + table
                + " WHERE token_sha256 = ?")) {
      query.setString(1, BearerTokens.sha256(token));
      try (ResultSet rs = query.executeQuery()) {
        if (!rs.next()) {
          return new Lookup.Unknown();
        }
        if (rs.getString(4) != null) {
          return new Lookup.Used();
        }
        if (!now.isBefore(Instant.parse(rs.getString(3)))) {
          return new Lookup.Expired();
        }
        return new Lookup.Open(rs.getString(1), rs.getString(2));
      }
    }
  }

  /**
   * Spends the link if it is still open, in one statement, so two tabs cannot both use it.
   *
   * @param now stored as the time it was used, and compared with its expiry
   * @return whether this call spent it
   */
  boolean claim(Connection c, String token, String now) throws SQLException {
    try (PreparedStatement use =
        c.prepareStatement(
            "UPDATE "
                + table
                + " SET used_at = ? WHERE token_sha256 = ? AND used_at IS NULL AND expires_at > ?")) {
      use.setString(1, now);
      use.setString(2, BearerTokens.sha256(token));
      use.setString(3, now);
      return use.executeUpdate() == 1;
    }
  }

  /** Gives back a link claimed at {@code usedAt}, when what it was for could not be done. */
  void release(Connection c, String token, String usedAt) throws SQLException {
    try (PreparedStatement release =
        c.prepareStatement(
            "UPDATE " + table + " SET used_at = NULL WHERE token_sha256 = ? AND used_at = ?")) {
      release.setString(1, BearerTokens.sha256(token));
      release.setString(2, usedAt);
      release.executeUpdate();
    }
  }

  /** Spends every open link of the account, as of {@code now}. */
  void spendAll(Connection c, String username, String now) throws SQLException {
    try (PreparedStatement spend =
        c.prepareStatement(
            "UPDATE " + table + " SET used_at = ? WHERE username = ? AND used_at IS NULL")) {
      spend.setString(1, now);
      spend.setString(2, username);
      spend.executeUpdate();
    }
  }
}
