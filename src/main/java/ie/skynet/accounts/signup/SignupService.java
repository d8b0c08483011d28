package ie.skynet.accounts.signup;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.DatabaseException;
import ie.skynet.accounts.db.Transactions;
import ie.skynet.accounts.directory.Directory;
import ie.skynet.accounts.directory.NewAccount;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.outbox.OutgoingMail;
import ie.skynet.accounts.policy.PasswordPolicy;
import ie.skynet.accounts.policy.RequestLimits;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signup, from a Wolves email to an LDAP account. The member asks with their email, gets a link,
 * and with it chooses a username and password. Every outcome of asking is a mail, never an answer
 * on the page, so the page cannot tell anyone who is a member.
 */
public final class SignupService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SignupService.class);
  private static final int ASK_BATCH = 50;

  /** Bounds a pass, so the mail it queued goes out before it answers still more. */
  private static final int MAX_ASK_BATCHES_PER_PASS = 40;

  private final Database database;
  private final Directory directory;
  private final Outbox outbox;
  private final SignupTokens tokens;
  private final SignupMails mails;
  private final UsernamePolicy usernames;
  private final PasswordPolicy passwords;
  private final RequestLimits limits;
  private final AskRecorder asks;
  private final Clock clock;
  private final MeterRegistry metrics;

  public SignupService(
      Database database,
      Directory directory,
      Outbox outbox,
      SignupSettings settings,
      PasswordPolicy passwords,
      RequestLimits limits,
      SecureRandom random,
      Clock clock,
      MeterRegistry metrics) {
    this.database = database;
    this.directory = directory;
    this.outbox = outbox;
    this.tokens = new SignupTokens(random, clock, settings.tokenLifetime());
    this.mails = new SignupMails(settings);
    this.usernames = new UsernamePolicy(settings.usernamePattern());
    this.passwords = passwords;
    this.limits = limits;
    this.asks = new AskRecorder(database, clock);
    this.clock = clock;
    this.metrics = metrics;
    // The usual series exist from the start, at 0, so a rate over them means something at once.
    for (String outcome : List.of("recorded", "limited")) {
      requests(outcome);
    }
    for (String outcome : List.of("created", "error")) {
      completions(outcome);
    }
  }

  private Counter requests(String outcome) {
    return Counter.builder("accounts.signup.requests")
        .description("Signup mails asked for; limited = refused by a rate limit")
        .tag("outcome", outcome)
        .register(metrics);
  }

  private Counter completions(String outcome) {
    return Counter.builder("accounts.signup.completed")
        .description("Signup forms sent with a link, by outcome: created, a refusal, or error")
        .tag("outcome", outcome)
        .register(metrics);
  }

  /** Stops taking requests once those already made are stored. */
  @Override
  public void close() {
    asks.close();
  }

  /** A membership found by email or id, with its account if it has one. */
  private record Membership(
      String idWolves,
      String email,
      LocalDate expiry,
      @Nullable String firstName,
      @Nullable String lastName,
      @Nullable String username) {

    String greeting() {
      return firstName != null ? firstName : "Skynet member";
    }
  }

  /**
   * Step 1: records that someone asked for a signup mail for this address. That is all a request
   * does, the same for every address, and the limits are the same for every address, so neither the
   * response nor its timing tells anyone who is a member. {@link #answerWaiting} then sends the
   * mail.
   *
   * @param clientAddress where the request came from, for the per-client limit
   */
  public RequestLimits.Verdict request(String email, String clientAddress) {
    String address = email.strip();
    RequestLimits.Verdict verdict = limits.tryRequest(address, clientAddress);
    if (verdict instanceof RequestLimits.Verdict.TryLater) {
      countRequest("limited");
      return verdict;
    }
    asks.record(address);
    countRequest("recorded");
    return verdict;
  }

  private void countRequest(String outcome) {
    requests(outcome).increment();
  }

  /**
   * Step 1, behind the scenes: queues the one mail each waiting request should get, and forgets the
   * request in the same transaction. A current member without an account gets a link; one with an
   * account gets its username; anyone else learns how to join. For a scheduler: never throws; a
   * request that fails stays waiting for the next pass.
   *
   * @return how many requests were answered
   */
  public int answerWaiting() {
    int answered = 0;
    long after = 0; // past requests that failed this pass, so they cannot hold up the rest
    try {
      for (int batch = 0; batch < MAX_ASK_BATCHES_PER_PASS; batch++) {
        Map<Long, String> waiting = new LinkedHashMap<>();
        try (Connection connection = database.connect();
            PreparedStatement query =
                connection.prepareStatement(
                    "SELECT id, email FROM signup_asks WHERE id > ? ORDER BY id LIMIT "
                        + ASK_BATCH)) {
          query.setLong(1, after);
          try (ResultSet rs = query.executeQuery()) {
            while (rs.next()) {
              waiting.put(rs.getLong(1), rs.getString(2));
              after = rs.getLong(1);
            }
          }
        }
        if (!waiting.isEmpty()) {
          answered += answer(waiting);
        }
        if (waiting.size() < ASK_BATCH) {
          break;
        }
      }
    } catch (SQLException | RuntimeException e) {
      log.error("answering signup requests failed; they stay waiting for the next pass", e);
    }
    return answered;
  }

  /**
   * Answers a batch in one transaction, one disk flush for many requests. Each request is answered
   * within a savepoint: one that fails stays waiting, and the others are answered.
   */
  private int answer(Map<Long, String> waiting) throws SQLException {
    List<String> queued = new ArrayList<>();
    int answered;
    try (Connection connection = database.connect()) {
      answered =
          Transactions.eachInItsOwnSavepoint(
              connection,
              waiting.entrySet(),
              (c, ask) -> {
                if (!forget(c, ask.getKey())) {
                  return false; // another instance answered it
                }
                OutgoingMail mail = mailFor(c, ask.getValue());
                if (mail == null) {
                  log.warn(
                      "signup request {} is for an address mail cannot go to: dropped",
                      ask.getKey());
                  return false;
                }
                outbox.enqueue(c, mail);
                queued.add(mail.template());
                return true;
              },
              (ask, e) ->
                  log.error(
                      "answering signup request {} failed; it stays waiting", ask.getKey(), e));
    }
    // Counted once committed, by kind: signup-verify (a link), signup-existing, signup-not-member.
    for (String template : queued) {
      Counter.builder("accounts.signup.mails")
          .description("Answers to signup requests, by mail")
          .tag("kind", template)
          .register(metrics)
          .increment();
    }
    return answered;
  }

  private static boolean forget(Connection connection, long id) throws SQLException {
    try (PreparedStatement delete =
        connection.prepareStatement("DELETE FROM signup_asks WHERE id = ?")) {
      delete.setLong(1, id);
      return delete.executeUpdate() == 1;
    }
  }

  /** The one mail this address should get; null if no mail can go to it. */
  private @Nullable OutgoingMail mailFor(Connection c, String address) throws SQLException {
    // A rehearsal's membership (accounts preflight) is never the answer to a real request.
    Membership member =
        membership(c, "lower(w.email) = lower(?) AND w.id_wolves NOT LIKE 'PREFLIGHT-%'", address);
    if (member == null || !isCurrent(member)) {
      return OutgoingMail.canGoTo(address) ? mails.notMember(address) : null;
    }
    if (!OutgoingMail.canGoTo(member.email())) {
      return null; // the import accepts only such addresses; an old row might not be one
    }
    if (member.username() != null) {
      return mails.existing(member.email(), member.greeting(), member.username());
    }
    String token = tokens.issue(c, TokenPurpose.SIGNUP, member.email(), member.idWolves());
    return mails.verify(member.email(), member.greeting(), token);
  }

  /**
   * For a rehearsal ({@code accounts preflight}): queues the verification mail the member of this
   * membership would get, exactly as a request would, and returns the link's token, which only the
   * rehearsal knows (it is stored as its SHA-256 like any other).
   */
  public String rehearse(String idWolves) {
    try (Connection connection = database.connect()) {
      Membership member = membership(connection, "w.id_wolves = ?", idWolves);
      if (member == null) {
        throw new IllegalStateException("no membership " + idWolves + " to rehearse with");
      }
      connection.setAutoCommit(false);
      String token = tokens.issue(connection, TokenPurpose.SIGNUP, member.email(), idWolves);
      outbox.enqueue(connection, mails.verify(member.email(), member.greeting(), token));
      connection.commit();
      return token;
    } catch (SQLException e) {
      throw new DatabaseException("queueing the rehearsal's mail failed", e);
    }
  }

  /**
   * An address a signup can be tried with: a current membership without an account. For {@code
   * accounts dev} to suggest one; empty when there is none.
   */
  public java.util.Optional<String> addressThatCanSignUp() {
    try (Connection connection = database.connect();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT w.email FROM accounts_wolves w LEFT JOIN accounts a"
                    + " ON a.id_wolves = w.id_wolves WHERE a.username IS NULL AND w.expiry >= ?"
                    + " ORDER BY w.id_wolves LIMIT 1")) {
      query.setString(1, LocalDate.now(clock).toString());
      try (ResultSet rs = query.executeQuery()) {
        return rs.next() ? java.util.Optional.of(rs.getString(1)) : java.util.Optional.empty();
      }
    } catch (SQLException e) {
      throw new DatabaseException("looking for a member without an account failed", e);
    }
  }

  /** The username rule in words, for the form. */
  public String usernameRule() {
    return usernames.rule();
  }

  /** Step 2, opening the link: whether it is good. Never spends it (mail scanners open links). */
  public TokenCheck check(String token) {
    try (Connection connection = database.connect()) {
      return tokens.check(connection, TokenPurpose.SIGNUP, token);
    } catch (SQLException e) {
      throw new DatabaseException("checking a signup link failed", e);
    }
  }

  /**
   * Step 3, the form: creates the account whole or not at all. The directory entry comes first (it
   * undoes itself if it fails half-way); then, in one transaction, the link is spent, the account
   * recorded and the welcome mail queued. If that transaction fails, the entry is removed.
   */
  public Completion complete(String token, String requestedUsername, String password) {
    Completion completion;
    try {
      completion = completeOnce(token, requestedUsername, password);
    } catch (RuntimeException e) {
      countCompletion("error");
      throw e;
    }
    countCompletion(
        switch (completion) {
          case Completion.Created c -> "created";
          case Completion.TokenRefused c -> "token_refused";
          case Completion.UsernameRefused c -> "username_refused";
          case Completion.PasswordRefused c -> "password_refused";
          case Completion.MembershipChanged c -> "membership_changed";
          case Completion.MembershipHasAccount c -> "membership_has_account";
        });
    return completion;
  }

  private void countCompletion(String outcome) {
    completions(outcome).increment();
  }

  private Completion completeOnce(String token, String requestedUsername, String password) {
    Membership member;
    SignupRequest request;
    try (Connection connection = database.connect()) {
      TokenCheck check = tokens.check(connection, TokenPurpose.SIGNUP, token);
      if (!(check instanceof TokenCheck.Valid valid)) {
        return new Completion.TokenRefused(check);
      }
      request = valid.request();
      member = membership(connection, "w.id_wolves = ?", request.idWolves());
    } catch (SQLException e) {
      throw new DatabaseException("reading a signup failed", e);
    }
    // The link proved an address for a current membership when it was sent; both must still hold.
    if (member == null || !isCurrent(member) || !member.email().equalsIgnoreCase(request.email())) {
      return new Completion.MembershipChanged();
    }
    if (member.username() != null) {
      return new Completion.MembershipHasAccount(member.username());
    }
    String username;
    switch (usernames.check(requestedUsername)) {
      case UsernamePolicy.Verdict.Rejected rejected -> {
        return new Completion.UsernameRefused(rejected.reason());
      }
      case UsernamePolicy.Verdict.Accepted accepted -> username = accepted.username();
    }
    PasswordPolicy.Owner owner =
        new PasswordPolicy.Owner(username, member.email(), member.firstName(), member.lastName());
    if (passwords.check(password, owner) instanceof PasswordPolicy.Verdict.Rejected rejected) {
      return new Completion.PasswordRefused(rejected.reasons());
    }
    if (directory.usernameTaken(username)) {
      return new Completion.UsernameRefused("'" + username + "' is taken; choose another.");
    }
    Directory.Creation created =
        directory.createAccount(
            new NewAccount(
                username,
                member.firstName(),
                member.lastName() != null ? member.lastName() : username,
                member.email(),
                member.idWolves()),
            password);
    if (created instanceof Directory.Creation.UsernameTaken) {
      return new Completion.UsernameRefused("'" + username + "' is taken; choose another.");
    }
    Completion recorded;
    try {
      recorded = record(token, username, member);
    } catch (RuntimeException e) {
      // A failure can come after the commit: then the account, its row and its welcome mail are
      // all there, and the member should hear so rather than be told to try again.
      if (username.equals(recordedAccount(member.idWolves()))) {
        log.warn("recording the account {} reported a failure after it committed", username, e);
        return new Completion.Created(username);
      }
      undo(username, e);
      throw e;
    }
    if (!(recorded instanceof Completion.Created)) {
      undo(username, null);
    }
    return recorded;
  }

  /** Removes an entry this signup made; a failure to do so is loud, never hides the cause. */
  private void undo(String username, @Nullable RuntimeException cause) {
    try {
      directory.deleteAccount(username);
    } catch (RuntimeException e) {
      log.error(
          "could not remove the directory entry of {} after a failed signup: remove it by hand",
          username,
          e);
      if (cause != null) {
        cause.addSuppressed(e);
      }
    }
  }

  private @Nullable String recordedAccount(String idWolves) {
    try (Connection connection = database.connect()) {
      return accountOf(connection, idWolves);
    } catch (SQLException | RuntimeException e) {
      return null; // unknown: treat as not recorded, so the entry is removed, as the error says
    }
  }

  private Completion record(String token, String username, Membership member) {
    try (Connection connection = database.connect()) {
      return Transactions.inTransaction(
          connection,
          c -> {
            TokenCheck spent = tokens.consume(c, TokenPurpose.SIGNUP, token);
            if (!(spent instanceof TokenCheck.Valid)) {
              return new Completion.TokenRefused(spent); // another tab won the race
            }
            String existing = accountOf(c, member.idWolves());
            if (existing != null) {
              return new Completion.MembershipHasAccount(existing);
            }
            try (PreparedStatement insert =
                c.prepareStatement(
                    "INSERT INTO accounts (username, id_wolves, email, created_at, status)"
                        + " VALUES (?, ?, ?, ?, 'active')")) {
              insert.setString(1, username);
              insert.setString(2, member.idWolves());
              insert.setString(3, member.email());
              insert.setString(4, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
              insert.executeUpdate();
            }
            outbox.enqueue(c, mails.welcome(member.email(), member.greeting(), username));
            return new Completion.Created(username);
          });
    } catch (SQLException e) {
      throw new DatabaseException("recording the account " + username + " failed", e);
    }
  }

  private boolean isCurrent(Membership member) {
    return !member.expiry().isBefore(LocalDate.now(clock));
  }

  /** The membership matching the condition, latest expiry first when an address has several. */
  private static @Nullable Membership membership(Connection connection, String where, String value)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT w.id_wolves, w.email, w.expiry, w.name_first, w.name_second, a.username"
                + " FROM accounts_wolves w LEFT JOIN accounts a ON a.id_wolves = w.id_wolves"
                + " WHERE "
                + where
                + " ORDER BY w.expiry DESC LIMIT 1")) {
      query.setString(1, value);
      try (ResultSet rs = query.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        return new Membership(
            rs.getString(1),
            rs.getString(2),
            LocalDate.parse(rs.getString(3)),
            rs.getString(4),
            rs.getString(5),
            rs.getString(6));
      }
    }
  }

  private static @Nullable String accountOf(Connection connection, String idWolves)
      throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement("SELECT username FROM accounts WHERE id_wolves = ?")) {
      query.setString(1, idWolves);
      try (ResultSet rs = query.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }
}
