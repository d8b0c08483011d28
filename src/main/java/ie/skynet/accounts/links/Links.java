package ie.skynet.accounts.links;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.Sql;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;

/**
 * The one store of mailed single-use links (signup, password reset, address change), and the owner
 * of the {@code links} table. A link is bound to its purpose, stored only as its token's SHA-256,
 * expires, and is spent by exactly one {@link #spend}, however many callers race; every open link
 * of an account can be spent at once when the account changes.
 *
 * <p>Methods taking a connection work in the caller's transaction, so that a link and the mail
 * carrying it (written to the outbox in the same transaction) exist together or not at all.
 */
public final class Links {
  private final Database database;
  private final SecureRandom random;
  private final Clock clock;

  public Links(Database database, SecureRandom random, Clock clock) {
    this.database = database;
    this.random = random;
    this.clock = clock;
  }

  /**
   * Issues a link.
   *
   * @return the token for the link; it is not stored anywhere and cannot be shown again
   */
  public String issue(
      Connection c, LinkPurpose purpose, String subject, String address, Duration lifetime)
      throws SQLException {
    String token = BearerTokens.issue(random);
    Instant now = now();
    Sql.update(
        c,
        "INSERT INTO links (token_sha256, purpose, subject, address, created_at, expires_at)"
            + " VALUES (?, ?, ?, ?, ?, ?)",
        BearerTokens.sha256(token),
        purpose.code(),
        subject,
        address,
        now.toString(),
        now.plus(lifetime).toString());
    return token;
  }

  /**
   * What the link is, without spending it: opening a mailed link is a GET, and mail scanners open
   * links too, so only a form's POST may {@link #spend} it.
   */
  public LinkCheck check(LinkPurpose purpose, String token) {
    return database.withConnection(
        "checking a " + purpose.code() + " link", c -> check(c, purpose, token));
  }

  /** As {@link #check(LinkPurpose, String)}, in the caller's transaction. */
  public LinkCheck check(Connection c, LinkPurpose purpose, String token) throws SQLException {
    if (!BearerTokens.wellFormed(token)) {
      return new LinkCheck.Unknown();
    }
    Instant now = now();
    return Sql.first(
            c,
            "SELECT subject, address, expires_at, used_at FROM links"
                + " WHERE token_sha256 = ? AND purpose = ?",
            rs -> {
              Instant expires = Instant.parse(rs.getString(3));
              if (rs.getString(4) != null) {
                return new LinkCheck.Used();
              }
              if (!now.isBefore(expires)) {
                return new LinkCheck.Expired();
              }
              return new LinkCheck.Valid(
                  new Link(purpose, rs.getString(1), rs.getString(2), expires));
            },
            BearerTokens.sha256(token),
            purpose.code())
        .orElseGet(LinkCheck.Unknown::new);
  }

  /**
   * Spends the link if it is still good, in one statement. Of several callers racing with the same
   * token exactly one gets {@link LinkCheck.Valid}; the others see it {@link LinkCheck.Used}.
   *
   * @param at recorded as when it was used, and compared with its expiry
   */
  public LinkCheck spend(Connection c, LinkPurpose purpose, String token, Instant at)
      throws SQLException {
    LinkCheck check = check(c, purpose, token);
    if (!(check instanceof LinkCheck.Valid)) {
      return check;
    }
    String when = seconds(at).toString();
    int spent =
        Sql.update(
            c,
            "UPDATE links SET used_at = ? WHERE token_sha256 = ? AND purpose = ?"
                + " AND used_at IS NULL AND expires_at > ?",
            when,
            BearerTokens.sha256(token),
            purpose.code(),
            when);
    return spent == 1 ? check : check(c, purpose, token); // else another caller spent it first
  }

  /** Gives back a link spent at {@code at}, when what it was for could not be done. */
  public void giveBack(Connection c, LinkPurpose purpose, String token, Instant at)
      throws SQLException {
    Sql.update(
        c,
        "UPDATE links SET used_at = NULL WHERE token_sha256 = ? AND purpose = ? AND used_at = ?",
        BearerTokens.sha256(token),
        purpose.code(),
        seconds(at).toString());
  }

  /** Spends every open link of the subject for these purposes. */
  public void spendAll(Connection c, String subject, Set<LinkPurpose> purposes)
      throws SQLException {
    for (LinkPurpose purpose : purposes) {
      Sql.update(
          c,
          "UPDATE links SET used_at = ? WHERE subject = ? AND purpose = ? AND used_at IS NULL",
          now().toString(),
          subject,
          purpose.code());
    }
  }

  /** Deletes every link of the subject for this purpose: a rehearsal's, when it is cleaned up. */
  public void forget(Connection c, LinkPurpose purpose, String subject) throws SQLException {
    Sql.update(c, "DELETE FROM links WHERE subject = ? AND purpose = ?", subject, purpose.code());
  }

  /**
   * Deletes the links, spent or not, that expired at or before {@code cutoff}. Until then a link
   * opened again is still told apart as used or expired, rather than unknown.
   *
   * @return how many were deleted
   */
  public int forgetExpiredBy(Connection c, Instant cutoff) throws SQLException {
    return Sql.update(c, "DELETE FROM links WHERE expires_at <= ?", seconds(cutoff).toString());
  }

  private Instant now() {
    return seconds(clock.instant());
  }

  /** Whole seconds, so that stored instants all have one text form and compare as text. */
  private static Instant seconds(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS);
  }
}
