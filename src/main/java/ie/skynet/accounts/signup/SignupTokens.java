package ie.skynet.accounts.signup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;

/**
 * One-time tokens for signup links: 256 random bits from {@link SecureRandom}, of which the
 * database keeps only the SHA-256. A token is bound to its purpose and its request, lives for a
 * configured time, and is spent by exactly one {@link #consume}, however many callers race.
 */
public final class SignupTokens {
  private static final int TOKEN_BYTES = 32;
  private static final int TOKEN_CHARS = 43; // 32 bytes in unpadded base64url

  private final SecureRandom random;
  private final Clock clock;
  private final Duration lifetime;

  public SignupTokens(SecureRandom random, Clock clock, Duration lifetime) {
    this.random = random;
    this.clock = clock;
    this.lifetime = lifetime;
  }

  /**
   * Issues a token in the caller's transaction, so that the mail carrying it (written to the outbox
   * in the same transaction) and the request exist together or not at all.
   *
   * @return the token for the link; it is not stored anywhere and cannot be shown again
   */
  public String issue(Connection connection, TokenPurpose purpose, String email, String idWolves)
      throws SQLException {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    Instant now = now();
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO signup_requests (token_sha256, purpose, email, id_wolves, created_at,"
                + " expires_at) VALUES (?, ?, ?, ?, ?, ?)")) {
      insert.setString(1, sha256(token));
      insert.setString(2, purpose.code());
      insert.setString(3, email);
      insert.setString(4, idWolves);
      insert.setString(5, now.toString());
      insert.setString(6, now.plus(lifetime).toString());
      insert.executeUpdate();
    }
    return token;
  }

  /**
   * What the token is, without spending it: opening the emailed link is a GET, and mail scanners
   * open links too, so only the form's POST may {@link #consume} it.
   */
  public TokenCheck check(Connection connection, TokenPurpose purpose, String token)
      throws SQLException {
    if (token.length() != TOKEN_CHARS) {
      return new TokenCheck.Unknown();
    }
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT id, purpose, email, id_wolves, expires_at, used_at FROM signup_requests"
                + " WHERE token_sha256 = ?")) {
      query.setString(1, sha256(token));
      try (ResultSet rs = query.executeQuery()) {
        if (!rs.next()) {
          return new TokenCheck.Unknown();
        }
        if (!purpose.code().equals(rs.getString("purpose"))) {
          return new TokenCheck.WrongPurpose();
        }
        SignupRequest request =
            new SignupRequest(
                rs.getLong("id"),
                rs.getString("email"),
                rs.getString("id_wolves"),
                Instant.parse(rs.getString("expires_at")));
        if (rs.getString("used_at") != null) {
          return new TokenCheck.Used(request);
        }
        if (!now().isBefore(request.expiresAt())) {
          return new TokenCheck.Expired(request);
        }
        return new TokenCheck.Valid(request);
      }
    }
  }

  /**
   * Spends the token. Of several callers racing with the same token exactly one gets {@link
   * TokenCheck.Valid}; the others see it {@link TokenCheck.Used}.
   */
  public TokenCheck consume(Connection connection, TokenPurpose purpose, String token)
      throws SQLException {
    TokenCheck check = check(connection, purpose, token);
    if (!(check instanceof TokenCheck.Valid valid)) {
      return check;
    }
    try (PreparedStatement use =
        connection.prepareStatement(
            "UPDATE signup_requests SET used_at = ? WHERE id = ? AND used_at IS NULL")) {
      use.setString(1, now().toString());
      use.setLong(2, valid.request().id());
      if (use.executeUpdate() == 1) {
        return check;
      }
    }
    return check(connection, purpose, token); // another caller spent it first
  }

  /** Deletes every link issued for the membership: a rehearsal's, when it is cleaned up. */
  void forget(Connection connection, String idWolves) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM signup_requests WHERE id_wolves = ?")) {
      delete.setString(1, idWolves);
      delete.executeUpdate();
    }
  }

  /** Whole seconds, so that stored instants all have one text form and sort as text. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  private static String sha256(String token) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.US_ASCII)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
