package ie.skynet.accounts.account;

import ie.skynet.accounts.asks.Answerer;
import ie.skynet.accounts.asks.Ask;
import ie.skynet.accounts.asks.AskQueue;
import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.directory.Directory;
import ie.skynet.accounts.links.Link;
import ie.skynet.accounts.links.LinkCheck;
import ie.skynet.accounts.links.LinkPurpose;
import ie.skynet.accounts.links.Links;
import ie.skynet.accounts.membership.Memberships;
import ie.skynet.accounts.outbox.OutgoingMail;
import ie.skynet.accounts.policy.PasswordPolicy;
import ie.skynet.accounts.policy.RequestLimits;
import ie.skynet.accounts.templates.Mails;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Account recovery by mail: a forgotten username, a forgotten password. As with signup, a request
 * only records the ask, the same whatever was asked, and a background pass sends the mail it should
 * get, so neither the page nor its timing says whether an account exists.
 */
public final class RecoveryService implements Answerer {
  /** How long a reset link works: short, as it can take over the account. */
  static final Duration RESET_LIFETIME = Duration.ofHours(1);

  private static final LinkPurpose RESET = LinkPurpose.PASSWORD_RESET;

  private final Database database;
  private final Memberships memberships;
  private final AskQueue asks;
  private final Links links;
  private final Directory directory;
  private final PasswordPolicy passwords;
  private final AuditLog audit;
  private final RequestLimits limits;
  private final Sessions sessions;
  private final Mails mails;
  private final Clock clock;

  /**
   * @param limits the same per-address and per-client limits as signup requests
   */
  public RecoveryService(
      Database database,
      Memberships memberships,
      AskQueue asks,
      Links links,
      Directory directory,
      PasswordPolicy passwords,
      AuditLog audit,
      RequestLimits limits,
      Mails mails,
      SecureRandom random,
      Clock clock) {
    this.database = database;
    this.memberships = memberships;
    this.asks = asks;
    this.links = links;
    this.directory = directory;
    this.passwords = passwords;
    this.audit = audit;
    this.limits = limits;
    this.sessions = new Sessions(database, random, clock);
    this.mails = mails;
    this.clock = clock;
  }

  /** Records a request for the usernames of the accounts that use this address. */
  public RequestLimits.Verdict requestUsernames(String email, String client) {
    return ask(Ask.Kind.USERNAME, email, client);
  }

  /** Records a request for a reset link, by username or by email address. */
  public RequestLimits.Verdict requestPasswordReset(String usernameOrEmail, String client) {
    return ask(Ask.Kind.PASSWORD, usernameOrEmail, client);
  }

  private RequestLimits.Verdict ask(Ask.Kind kind, String value, String client) {
    String asked = value.strip();
    RequestLimits.Verdict verdict = limits.tryRequest(asked, client);
    if (verdict instanceof RequestLimits.Verdict.TryLater) {
      return verdict;
    }
    asks.record(kind, asked);
    return verdict;
  }

  @Override
  public Set<Ask.Kind> kinds() {
    return Set.of(Ask.Kind.USERNAME, Ask.Kind.PASSWORD);
  }

  /** The mail an ask should get: none when there is no address to write to. */
  @Override
  public List<OutgoingMail> answer(Connection c, Ask ask) throws SQLException {
    boolean byEmail = ask.value().indexOf('@') >= 0;
    if (byEmail && !OutgoingMail.canGoTo(ask.value())) {
      return List.of();
    }
    List<Memberships.Account> accounts =
        byEmail
            ? memberships.accountsByEmail(c, ask.value())
            : memberships.account(c, ask.value().toLowerCase(Locale.ROOT)).stream().toList();
    boolean usernames = ask.kind() == Ask.Kind.USERNAME;
    if (usernames || accounts.isEmpty()) {
      if (!byEmail) {
        return List.of(); // an unknown username: no one to write to
      }
      return List.of(
          mails.render(
              ask.value(),
              new AccountMail.Usernames(
                  accounts.stream().map(Memberships.Account::username).toList(),
                  mails.link("/signup"),
                  usernames)));
    }
    List<OutgoingMail> resets = new ArrayList<>();
    for (Memberships.Account account : accounts) {
      if (!OutgoingMail.canGoTo(account.email())) {
        continue;
      }
      resets.add(
          mails.render(
              account.email(),
              new AccountMail.Reset(
                  account.username(),
                  mails.link(
                      "/recover/password/"
                          + issueResetLink(c, account.username(), account.email())),
                  RESET_LIFETIME.toMinutes())));
    }
    return resets;
  }

  /** A new reset link for the account; the token it returns is stored only as its SHA-256. */
  String issueResetLink(Connection c, String username, String email) throws SQLException {
    return links.issue(c, RESET, username, email, RESET_LIFETIME);
  }

  /**
   * Opening the link: whether it is good. Never spends it (mail scanners open links). A good link's
   * subject is the username, its address the account's. The link of an account disabled since it
   * was mailed is as unknown as any other.
   */
  public LinkCheck check(String token) {
    LinkCheck check = links.check(RESET, token);
    if (check instanceof LinkCheck.Valid(Link valid)
        && memberships.account(valid.subject()).isEmpty()) {
      return new LinkCheck.Unknown();
    }
    return check;
  }

  /** How setting a new password by link ended. */
  public sealed interface Reset {
    record Done(String username) implements Reset {}

    record LinkRefused(LinkCheck link) implements Reset {}

    record PasswordRefused(List<String> reasons) implements Reset {}
  }

  /**
   * The form behind the link: spends the link, sets the password, ends every session of the account
   * and says so by mail. It logs nobody in.
   */
  public Reset reset(String token, String password, String client) {
    LinkCheck check = check(token);
    if (!(check instanceof LinkCheck.Valid(Link valid))) {
      return new Reset.LinkRefused(check);
    }
    String username = valid.subject();
    if (passwords.check(password, new PasswordPolicy.Owner(username, valid.address(), null, null))
        instanceof PasswordPolicy.Verdict.Rejected rejected) {
      return new Reset.PasswordRefused(rejected.reasons());
    }
    Instant spentAt = clock.instant();
    // Spent before the password is set, and only if nobody (another tab) spent it first.
    LinkCheck spent =
        database.inTransaction("spending a reset link", c -> links.spend(c, RESET, token, spentAt));
    if (!(spent instanceof LinkCheck.Valid)) {
      return new Reset.LinkRefused(spent);
    }
    try {
      directory.setPassword(username, password);
    } catch (RuntimeException e) {
      // Not set: give the link back, so the member can simply try again with it.
      database.runInTransaction(
          "giving back a reset link", c -> links.giveBack(c, RESET, token, spentAt));
      throw e;
    }
    forgetOpenLinks(database, links, username, clock); // older links die with this one
    sessions.endAll(username);
    database.runInTransaction(
        "recording the password reset of " + username,
        connection -> {
          audit.record(
              connection,
              new AuditLog.Entry(
                  AuditLog.ANONYMOUS,
                  "password-reset",
                  username,
                  client,
                  AuditLog.Outcome.DONE,
                  "by a reset link; every session ended"));
          mails.queueIfDeliverable(
              connection,
              valid.address(),
              new AccountMail.PasswordChanged(username, mails.time(clock.instant())));
        });
    return new Reset.Done(username);
  }

  /**
   * Spends every link of the account still open: reset links, address-change links and SSH
   * challenges. A new password means whoever knew the old one may have asked for them, and none of
   * them may outlive it.
   */
  static void forgetOpenLinks(Database database, Links links, String username, Clock clock) {
    database.runInTransaction(
        "spending the open links of " + username,
        connection -> {
          links.spendAll(
              connection, username, Set.of(LinkPurpose.PASSWORD_RESET, LinkPurpose.EMAIL_CHANGE));
          SshChallenges.spendAll(connection, username, clock.instant());
        });
  }
}
