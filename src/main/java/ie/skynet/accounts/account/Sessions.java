package ie.skynet.accounts.account;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.Sql;
import ie.skynet.accounts.links.BearerTokens;
import java.security.SecureRandom;
import java.sql.Connection;
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
record Sessions(Database database, SecureRandom random, Clock clock) {
  static final Duration IDLE = Duration.ofMinutes(30);
  static final Duration ABSOLUTE = Duration.ofHours(12);

  /** Recording every page view would be a write per request; a minute's precision is enough. */
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  /** A new session for the user; the returned id goes in the cookie and is stored nowhere. */
  String start(String username) {
    String id = BearerTokens.issue(random);
    String now = clock.instant().toString();
    database.withConnection(
        "starting a session",
        c ->
            Sql.update(
                c,
                "INSERT INTO sessions (id_sha256, username, created_at, last_seen_at)"
                    + " VALUES (?, ?, ?, ?)",
                BearerTokens.sha256(id),
                username,
                now,
                now));
    return id;
  }

  private record Seen(String username, Instant created, Instant lastSeen) {}

  /** The user of a live session, marking it used; empty for an unknown or ended one. */
  Optional<String> user(String id) {
    Instant now = clock.instant();
    String hash = BearerTokens.sha256(id);
    return database.withConnection(
        "reading a session",
        c -> {
          Seen seen =
              Sql.first(
                      c,
                      "SELECT username, created_at, last_seen_at FROM sessions WHERE id_sha256 = ?",
                      rs ->
                          new Seen(
                              rs.getString(1),
                              Instant.parse(rs.getString(2)),
                              Instant.parse(rs.getString(3))),
                      hash)
                  .orElse(null);
          if (seen == null) {
            return Optional.empty();
          }
          if (!now.isBefore(seen.lastSeen().plus(IDLE))
              || !now.isBefore(seen.created().plus(ABSOLUTE))) {
            Sql.update(c, "DELETE FROM sessions WHERE id_sha256 = ?", hash);
            return Optional.empty();
          }
          if (!now.isBefore(seen.lastSeen().plus(TOUCH_EVERY))) {
            Sql.update(
                c,
                "UPDATE sessions SET last_seen_at = ? WHERE id_sha256 = ?",
                now.toString(),
                hash);
          }
          return Optional.of(seen.username());
        });
  }

  /** Ends every session of the user but the one given (the one that changed the password). */
  void endOthers(String username, String keep) {
    database.withConnection(
        "ending the other sessions of " + username,
        c ->
            Sql.update(
                c,
                "DELETE FROM sessions WHERE username = ? AND id_sha256 <> ?",
                username,
                BearerTokens.sha256(keep)));
  }

  /** Ends every session of the user: after a password reset, nobody stays logged in. */
  void endAll(String username) {
    database.withConnection(
        "ending the sessions of " + username,
        c -> Sql.update(c, "DELETE FROM sessions WHERE username = ?", username));
  }

  /**
   * Deletes every session that has ended by {@code now}, idle or too old, though nobody came back
   * to it: a session is otherwise deleted only when it is next used or its user logs out.
   *
   * @return how many were deleted
   */
  static int removeEnded(Connection c, Instant now) throws SQLException {
    return Sql.update(
        c,
        "DELETE FROM sessions WHERE last_seen_at <= ? OR created_at <= ?",
        now.minus(IDLE).toString(),
        now.minus(ABSOLUTE).toString());
  }

  void end(String id) {
    database.withConnection(
        "ending a session",
        c -> Sql.update(c, "DELETE FROM sessions WHERE id_sha256 = ?", BearerTokens.sha256(id)));
  }
}
