package ie.skynet.accounts.account;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.DatabaseException;
import ie.skynet.accounts.directory.Directory;
import ie.skynet.accounts.directory.Profile;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/** Logging in with LDAP credentials, sessions, and what the account page shows. */
public final class AccountService {
  private final Database database;
  private final Directory directory;
  private final Sessions sessions;
  private final LoginThrottle throttle;
  private final Clock clock;

  public AccountService(Database database, Directory directory, SecureRandom random, Clock clock) {
    this.database = database;
    this.directory = directory;
    this.sessions = new Sessions(database, random, clock);
    this.throttle = new LoginThrottle(clock);
    this.clock = clock;
  }

  /** How a login attempt ended. */
  public sealed interface Login {
    /**
     * @param session the new session's id, for the cookie: always a new one, so a session id
     *     planted before login is worth nothing after it
     */
    record LoggedIn(String session, String username) implements Login {}

    /** Wrong username or password, or none: deliberately one answer for all of them. */
    record Refused() implements Login {}

    /** Too many failures from this client: try again after this long. */
    record Throttled(Duration retryAfter) implements Login {}
  }

  public Login login(String username, String password, String client) {
    String name = username.strip().toLowerCase(Locale.ROOT);
    Duration wait = throttle.waitBefore(name, client);
    if (!wait.isZero()) {
      return new Login.Throttled(wait);
    }
    // authenticate() refuses an empty password itself, before any bind.
    if (name.isEmpty() || !directory.authenticate(name, password)) {
      throttle.failed(name, client);
      return new Login.Refused();
    }
    return new Login.LoggedIn(sessions.start(name), name);
  }

  /** The user of a live session; empty if it is unknown, timed out or ended. */
  public Optional<String> user(String session) {
    return sessions.user(session);
  }

  public void logout(String session) {
    sessions.end(session);
  }

  /** The account page's contents; empty if the directory no longer has the account. */
  public Optional<AccountView> view(String username) {
    Optional<Profile> profile = directory.profile(username);
    if (profile.isEmpty()) {
      return Optional.empty();
    }
    LocalDate expiry = membershipExpiry(username);
    Profile p = profile.get();
    return Optional.of(
        new AccountView(
            p.username(),
            p.commonName(),
            p.mail(),
            p.sshPublicKeys(),
            expiry,
            expiry != null && !expiry.isBefore(LocalDate.now(clock))));
  }

  private @Nullable LocalDate membershipExpiry(String username) {
    try (Connection connection = database.connect();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT w.expiry FROM accounts a JOIN accounts_wolves w"
                    + " ON w.id_wolves = a.id_wolves WHERE a.username = ?")) {
      query.setString(1, username);
      try (ResultSet rs = query.executeQuery()) {
        return rs.next() ? LocalDate.parse(rs.getString(1)) : null;
      }
    } catch (SQLException e) {
      throw new DatabaseException("reading the membership of " + username + " failed", e);
    }
  }
}
