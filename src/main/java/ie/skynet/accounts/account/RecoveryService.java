package ie.skynet.accounts.account;

import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.DatabaseException;
import ie.skynet.accounts.db.Transactions;
import ie.skynet.accounts.directory.Directory;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.outbox.OutgoingMail;
import ie.skynet.accounts.policy.PasswordPolicy;
import ie.skynet.accounts.policy.RequestLimits;
import ie.skynet.accounts.templates.Mails;
import java.net.URI;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Account recovery by mail: a forgotten username, a forgotten password. As with signup, a request
 * only records the ask, the same whatever was asked, and a background pass sends the mail it should
 * get, so neither the page nor its timing says whether an account exists.
 */
public final class RecoveryService {
  /** How long a reset link works: short, as it can take over the account. */
  static final Duration RESET_LIFETIME = Duration.ofHours(1);

  private static final Logger log = LoggerFactory.getLogger(RecoveryService.class);
  private static final int BATCH = 50;
  private static final SingleUseLinks RESETS = SingleUseLinks.RESETS;

  private final Database database;
  private final Directory directory;
  private final Outbox outbox;
  private final PasswordPolicy passwords;
  private final AuditLog audit;
  private final RequestLimits limits;
  private final Sessions sessions;
  private final SecureRandom random;
  private final String base;
  private final Mails mails = new Mails();
  private final Clock clock;

  /**
   * @param limits the same per-address and per-client limits as signup requests
   * @param baseUrl where members reach the service, for the links in mail
   */
  public RecoveryService(
      Database database,
      Directory directory,
      Outbox outbox,
      PasswordPolicy passwords,
      AuditLog audit,
      RequestLimits limits,
      URI baseUrl,
      SecureRandom random,
      Clock clock) {
    this.database = database;
    this.directory = directory;
    this.outbox = outbox;
    this.passwords = passwords;
    this.audit = audit;
    this.limits = limits;
    this.sessions = new Sessions(database, random, clock);
    this.random = random;
    String url = baseUrl.toString();
    this.base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    this.clock = clock;
  }

  /** Records a request for the usernames of the accounts that use this address. */
  public RequestLimits.Verdict requestUsernames(String email, String client) {
    return ask("username", email, client);
  }

  /** Records a request for a reset link, by username or by email address. */
  public RequestLimits.Verdict requestPasswordReset(String usernameOrEmail, String client) {
    return ask("password", usernameOrEmail, client);
  }

  private RequestLimits.Verdict ask(String kind, String value, String client) {
    String asked = value.strip();
    RequestLimits.Verdict verdict = limits.tryRequest(asked, client);
    if (verdict instanceof RequestLimits.Verdict.TryLater) {
      return verdict;
    }
    try (Connection connection = database.connect();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO recovery_asks (kind, value, asked_at) VALUES (?, ?, ?)")) {
      insert.setString(1, kind);
      insert.setString(2, asked);
      insert.setString(3, clock.instant().toString());
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new DatabaseException("recording a recovery request failed", e);
    }
    return verdict;
  }

  private record Ask(long id, String kind, String value) {}

  /**
   * Sends the mail each waiting request should get, forgetting it in the same transaction; one that
   * fails stays waiting without holding up the others. For a scheduler: never throws.
   *
   * @return how many requests were answered
   */
  public int answerWaiting() {
    int answered = 0;
    try {
      List<Ask> waiting = new ArrayList<>();
      try (Connection connection = database.connect();
          PreparedStatement query =
              connection.prepareStatement(
                  "SELECT id, kind, value FROM recovery_asks ORDER BY id LIMIT " + BATCH);
          ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          waiting.add(new Ask(rs.getLong(1), rs.getString(2), rs.getString(3)));
        }
      }
      if (!waiting.isEmpty()) {
        answered = answer(waiting);
      }
    } catch (SQLException | RuntimeException e) {
      log.error("answering recovery requests failed; they stay waiting for the next pass", e);
    }
    return answered;
  }

  private int answer(List<Ask> waiting) throws SQLException {
    try (Connection connection = database.connect()) {
      return Transactions.eachInItsOwnSavepoint(
          connection,
          waiting,
          (c, ask) -> {
            if (!forget(c, ask.id())) {
              return false; // another instance answered it
            }
            for (OutgoingMail mail : mailsFor(c, ask)) {
              outbox.enqueue(c, mail);
            }
            return true;
          },
          (ask, e) ->
              log.error("answering recovery request {} failed; it stays waiting", ask.id(), e));
    }
  }

  private record Account(String username, String email) {}

  /** The mail an ask should get: none when there is no address to write to. */
  private List<OutgoingMail> mailsFor(Connection c, Ask ask) throws SQLException {
    boolean byEmail = ask.value().indexOf('@') >= 0;
    if (byEmail && !OutgoingMail.canGoTo(ask.value())) {
      return List.of();
    }
    List<Account> accounts =
        byEmail
            ? accounts(c, "lower(email) = lower(?)", ask.value())
            : accounts(c, "username = ?", ask.value().toLowerCase(Locale.ROOT));
    if (ask.kind().equals("username") || accounts.isEmpty()) {
      if (!byEmail) {
        return List.of(); // an unknown username: no one to write to
      }
      return List.of(
          mails.render(
              ask.value(),
              "recover-username",
              ask.kind().equals("username") ? "Your Skynet username" : "About your Skynet account",
              "account/usernames.jte",
              Map.of(
                  "usernames",
                  accounts.stream().map(Account::username).toList(),
                  "signupLink",
                  base + "/signup")));
    }
    List<OutgoingMail> resets = new ArrayList<>();
    for (Account account : accounts) {
      if (!OutgoingMail.canGoTo(account.email())) {
        continue;
      }
      resets.add(
          mails.render(
              account.email(),
              "recover-password",
              "Choose a new Skynet password",
              "account/reset.jte",
              Map.of(
                  "username",
                  account.username(),
                  "link",
                  base
                      + "/recover/password/"
                      + issueResetLink(c, account.username(), account.email()),
                  "minutes",
                  RESET_LIFETIME.toMinutes())));
    }
    return resets;
  }

  private static List<Account> accounts(Connection c, String where, String value)
      throws SQLException {
    List<Account> accounts = new ArrayList<>();
    try (PreparedStatement query =
        c.prepareStatement(
            "SELECT username, email FROM accounts WHERE " + where + " ORDER BY username")) {
      query.setString(1, value);
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          accounts.add(new Account(rs.getString(1), rs.getString(2)));
        }
      }
    }
    return accounts;
  }

  /** A new reset link for the account; the token it returns is stored only as its SHA-256. */
  String issueResetLink(Connection c, String username, String email) throws SQLException {
    String token = BearerTokens.issue(random);
    Instant now = clock.instant();
    try (PreparedStatement insert =
        c.prepareStatement(
            "INSERT INTO password_resets (token_sha256, username, email, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      insert.setString(1, BearerTokens.sha256(token));
      insert.setString(2, username);
      insert.setString(3, email);
      insert.setString(4, now.toString());
      insert.setString(5, now.plus(RESET_LIFETIME).toString());
      insert.executeUpdate();
    }
    return token;
  }

  /** What a reset link turned out to be. */
  public sealed interface ResetLink {
    record Valid(String username, String email) implements ResetLink {}

    record Unknown() implements ResetLink {}

    record Expired() implements ResetLink {}

    record Used() implements ResetLink {}
  }

  /** Opening the link: whether it is good. Never spends it (mail scanners open links). */
  public ResetLink check(String token) {
    try (Connection connection = database.connect()) {
      return check(connection, token);
    } catch (SQLException e) {
      throw new DatabaseException("checking a reset link failed", e);
    }
  }

  private ResetLink check(Connection c, String token) throws SQLException {
    return switch (RESETS.find(c, token, clock.instant())) {
      case SingleUseLinks.Lookup.Open open -> new ResetLink.Valid(open.username(), open.value());
      case SingleUseLinks.Lookup.Unknown unknown -> new ResetLink.Unknown();
      case SingleUseLinks.Lookup.Expired expired -> new ResetLink.Expired();
      case SingleUseLinks.Lookup.Used used -> new ResetLink.Used();
    };
  }

  /** How setting a new password by link ended. */
  public sealed interface Reset {
    record Done(String username) implements Reset {}

    record LinkRefused(ResetLink link) implements Reset {}

    record PasswordRefused(List<String> reasons) implements Reset {}
  }

  /**
   * The form behind the link: spends the link, sets the password, ends every session of the account
   * and says so by mail. It logs nobody in.
   */
  public Reset reset(String token, String password, String client) {
    ResetLink link = check(token);
    if (!(link instanceof ResetLink.Valid valid)) {
      return new Reset.LinkRefused(link);
    }
    if (passwords.check(
            password, new PasswordPolicy.Owner(valid.username(), valid.email(), null, null))
        instanceof PasswordPolicy.Verdict.Rejected rejected) {
      return new Reset.PasswordRefused(rejected.reasons());
    }
    String spentAt = clock.instant().toString();
    try (Connection connection = database.connect()) {
      // Spent before the password is set, and only if nobody (another tab) spent it first.
      if (!RESETS.claim(connection, token, spentAt)) {
        return new Reset.LinkRefused(check(connection, token));
      }
      try {
        directory.setPassword(valid.username(), password);
      } catch (RuntimeException e) {
        // Not set: give the link back, so the member can simply try again with it.
        RESETS.release(connection, token, spentAt);
        throw e;
      }
      forgetOpenLinks(database, valid.username(), clock); // older links die with this one
      sessions.endAll(valid.username());
      audit.record(
          connection,
          new AuditLog.Entry(
              AuditLog.ANONYMOUS,
              "password-reset",
              valid.username(),
              client,
              AuditLog.Outcome.DONE,
              "by a reset link; every session ended"));
      if (OutgoingMail.canGoTo(valid.email())) {
        outbox.enqueue(
            connection,
            mails.render(
                valid.email(),
                "password-changed",
                "Your Skynet password was changed",
                "account/password-changed.jte",
                Map.of(
                    "username",
                    valid.username(),
                    "when",
                    clock.instant().truncatedTo(ChronoUnit.MINUTES).toString())));
      }
    } catch (SQLException e) {
      throw new DatabaseException("resetting the password of " + valid.username() + " failed", e);
    }
    return new Reset.Done(valid.username());
  }

  /**
   * Spends every link of the account still open: reset links, address-change links and SSH
   * challenges. A new password means whoever knew the old one may have asked for them, and none of
   * them may outlive it.
   */
  static void forgetOpenLinks(Database database, String username, Clock clock) {
    String now = clock.instant().toString();
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      for (SingleUseLinks links :
          List.of(
              SingleUseLinks.RESETS,
              SingleUseLinks.ADDRESS_CHANGES,
              SingleUseLinks.SSH_CHALLENGES)) {
        links.spendAll(connection, username, now);
      }
      connection.commit();
    } catch (SQLException e) {
      throw new DatabaseException("spending the open links of " + username + " failed", e);
    }
  }

  private static boolean forget(Connection connection, long id) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM recovery_asks WHERE id = ?")) {
      delete.setLong(1, id);
      return delete.executeUpdate() == 1;
    }
  }
}
