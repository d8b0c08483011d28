package ie.skynet.accounts.account;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.DatabaseException;
import ie.skynet.accounts.links.BearerTokens;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Login sessions on the server: a random id in the member's cookie, its SHA-256 here. A session
 * ends after {@link #IDLE} without use, {@link #ABSOLUTE} after login whatever happens, or at
 * logout.
 */
final class Sessions {
  static final Duration IDLE = Duration.ofMinutes(30);
  static final Duration ABSOLUTE = Duration.ofHours(12);

  /** Recording every page view would be a write per request; a minute's precision is enough. */
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  private final Database database;
  private final SecureRandom random;
  private final Clock clock;

  Sessions(Database database, SecureRandom random, Clock clock) {
    this.database = database;
    this.random = random;
    this.clock = clock;
  }

  /** A new session for the user; the returned id goes in the cookie and is stored nowhere. */
  String start(String username) {
    String id = BearerTokens.issue(random);
    String now = clock.instant().toString();
    try (Connection connection = database.connect();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO sessions (id_sha256, username, created_at, last_seen_at)"
                    + " VALUES (?, ?, ?, ?)")) {
      insert.setString(1, BearerTokens.sha256(id));
      insert.setString(2, username);
      insert.setString(3, now);
      insert.setString(4, now);
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new DatabaseException("starting a session failed", e);
    }
    return id;
  }

  /** The user of a live session, marking it used; empty for an unknown or ended one. */
  Optional<String> user(String id) {
    Instant now = clock.instant();
    try (Connection connection = database.connect()) {
      String username;
      Instant created;
      Instant lastSeen;
      try (PreparedStatement query =
          connection.prepareStatement(
              "SELECT username, created_at, last_seen_at FROM sessions WHERE id_sha256 = ?")) {
        query.setString(1, BearerTokens.sha256(id));
        try (ResultSet rs = query.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          username = rs.getString(1);
          created = Instant.parse(rs.getString(2));
          lastSeen = Instant.parse(rs.getString(3));
        }
      }
      if (!now.isBefore(lastSeen.plus(IDLE)) || !now.isBefore(created.plus(ABSOLUTE))) {
        end(connection, id);
        return Optional.empty();
      }
      if (!now.isBefore(lastSeen.plus(TOUCH_EVERY))) {
        try (PreparedStatement touch =
            connection.prepareStatement(
                "UPDATE sessions SET last_seen_at = ? WHERE id_sha256 = ?")) {
          touch.setString(1, now.toString());
          touch.setString(2, BearerTokens.sha256(id));
          touch.executeUpdate();
        }
      }
      return Optional.of(username);
    } catch (SQLException e) {
      throw new DatabaseException("reading a session failed", e);
    }
  }

  /** Ends every session of the user but the one given (the one that changed the password). */
  void endOthers(String username, String keep) {
    try (Connection connection = database.connect();
        PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM sessions WHERE username = ? AND id_sha256 <> ?")) {
      delete.setString(1, username);
      delete.setString(2, BearerTokens.sha256(keep));
      delete.executeUpdate();
    } catch (SQLException e) {
      throw new DatabaseException("ending the other sessions of " + username + " failed", e);
    }
  }

  /** Ends every session of the user: after a password reset, nobody stays logged in. */
  void endAll(String username) {
    try (Connection connection = database.connect();
        PreparedStatement delete =
            connection.prepareStatement("DELETE FROM sessions WHERE username = ?")) {
      delete.setString(1, username);
      delete.executeUpdate();
    } catch (SQLException e) {
      throw new DatabaseException("ending the sessions of " + username + " failed", e);
    }
  }

  void end(String id) {
    try (Connection connection = database.connect()) {
      end(connection, id);
    } catch (SQLException e) {
      throw new DatabaseException("ending a session failed", e);
    }
  }

  private static void end(Connection connection, String id) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM sessions WHERE id_sha256 = ?")) {
      delete.setString(1, BearerTokens.sha256(id));
      delete.executeUpdate();
    }
  }
}
