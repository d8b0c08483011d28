package ie.skynet.accounts.signup;

import ie.skynet.accounts.asks.Answerer;
import ie.skynet.accounts.asks.Ask;
import ie.skynet.accounts.asks.AskQueue;
import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.directory.Directory;
import ie.skynet.accounts.directory.NewAccount;
import ie.skynet.accounts.links.Link;
import ie.skynet.accounts.links.LinkCheck;
import ie.skynet.accounts.links.LinkPurpose;
import ie.skynet.accounts.links.Links;
import ie.skynet.accounts.membership.ImportRunLog;
import ie.skynet.accounts.membership.Memberships;
import ie.skynet.accounts.membership.Memberships.Membership;
import ie.skynet.accounts.outbox.OutgoingMail;
import ie.skynet.accounts.policy.PasswordPolicy;
import ie.skynet.accounts.policy.RequestLimits;
import ie.skynet.accounts.templates.Mails;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signup, from a Wolves email to an LDAP account. The member asks with their email, gets a link,
 * and with it chooses a username and password. Every outcome of asking is a mail, never an answer
 * on the page, so the page cannot tell anyone who is a member.
 */
public final class SignupService implements Answerer {
  private static final LinkPurpose SIGNUP = LinkPurpose.SIGNUP;

  private static final Logger log = LoggerFactory.getLogger(SignupService.class);

  private final Database database;
  private final Memberships memberships;
  private final Directory directory;
  private final Links links;
  private final Duration linkLifetime;
  private final SignupMails mails;
  private final UsernamePolicy usernames;
  private final PasswordPolicy passwords;
  private final RequestLimits limits;
  private final AskQueue asks;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final AuditLog audit;
  private final java.util.Set<String> listedUsernames;

  public SignupService(
      Database database,
      Memberships memberships,
      AskQueue asks,
      Links links,
      Directory directory,
      SignupSettings settings,
      Mails mails,
      PasswordPolicy passwords,
      RequestLimits limits,
      AuditLog audit,
      Clock clock,
      MeterRegistry metrics) {
    this.database = database;
    this.memberships = memberships;
    this.directory = directory;
    this.links = links;
    this.linkLifetime = settings.tokenLifetime();
    this.mails = new SignupMails(settings, mails);
    this.usernames = new UsernamePolicy(settings.usernamePattern());
    this.passwords = passwords;
    this.limits = limits;
    this.asks = asks;
    this.clock = clock;
    this.metrics = metrics;
    this.audit = audit;
    this.listedUsernames = settings.listedUsernames();
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

  private static String greeting(Membership member) {
    return member.firstName() != null ? member.firstName() : "Skynet member";
  }

  /**
   * Step 1: records that someone asked for a signup mail for this address. That is all a request
   * does, the same for every address, and the limits are the same for every address, so neither the
   * response nor its timing tells anyone who is a member. The ask queue then has {@link #answer}
   * say which mail it gets.
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
    asks.record(Ask.Kind.SIGNUP, address);
    countRequest("recorded");
    return verdict;
  }

  private void countRequest(String outcome) {
    requests(outcome).increment();
  }

  @Override
  public Set<Ask.Kind> kinds() {
    return Set.of(Ask.Kind.SIGNUP);
  }

  /**
   * Step 1, behind the scenes: the one mail a request should get. A current member without an
   * account gets a link; one with an account gets its username; a lapsed member learns how to
   * renew; anyone else, how to join and when to try again.
   */
  @Override
  public List<OutgoingMail> answer(Connection c, Ask ask) throws SQLException {
    OutgoingMail mail = mailFor(c, ask.value());
    if (mail == null) {
      log.warn("signup request {} is for an address mail cannot go to: dropped", ask.id());
      return List.of();
    }
    return List.of(mail);
  }

  /**
   * Counted once committed, by kind: signup-verify (a link), signup-existing, signup-lapsed,
   * signup-not-found.
   */
  @Override
  public void queued(List<OutgoingMail> mails) {
    for (OutgoingMail mail : mails) {
      Counter.builder("accounts.signup.mails")
          .description("Answers to signup requests, by mail")
          .tag("kind", mail.template())
          .register(metrics)
          .increment();
    }
  }

  /**
   * The one mail this address should get; null if no mail can go to it. An address on the list
   * whose membership ended gets how to renew; one not on it, how to join and when the list is next
   * updated (a stranger and someone who joined minutes ago look the same to us).
   */
  private @Nullable OutgoingMail mailFor(Connection c, String address) throws SQLException {
    Membership member = memberships.byEmail(c, address).orElse(null);
    if (member == null) {
      return OutgoingMail.canGoTo(address)
          ? mails.notFound(address, lastListUpdate(c), clock.instant())
          : null;
    }
    if (!OutgoingMail.canGoTo(member.email())) {
      return null; // the import accepts only such addresses; an old row might not be one
    }
    if (!isCurrent(member)) {
      return mails.lapsed(member, greeting(member), lastListUpdate(c), clock.instant());
    }
    if (member.username() != null) {
      return mails.existing(member.email(), greeting(member), member.username());
    }
    String token = links.issue(c, SIGNUP, member.idWolves(), member.email(), linkLifetime);
    return mails.verify(member.email(), greeting(member), token);
  }

  private static @Nullable Instant lastListUpdate(Connection c) throws SQLException {
    return ImportRunLog.lastAccepted(c).orElse(null);
  }

  /**
   * For a rehearsal ({@code accounts preflight}): queues the verification mail the member of this
   * membership would get, exactly as a request would, and returns the link's token, which only the
   * rehearsal knows (it is stored as its SHA-256 like any other).
   */
  public String rehearse(String idWolves) {
    return database.inTransaction(
        "queueing the rehearsal's mail",
        c -> {
          Membership member =
              memberships
                  .byId(c, idWolves)
                  .orElseThrow(
                      () ->
                          new IllegalStateException(
                              "no membership " + idWolves + " to rehearse with"));
          String token = links.issue(c, SIGNUP, idWolves, member.email(), linkLifetime);
          mails.queueVerify(c, member.email(), greeting(member), token);
          return token;
        });
  }

  /** Forgets a rehearsal's membership, its links and its account row (not its entry). */
  public void forgetRehearsal(Connection c, String idWolves) throws SQLException {
    links.forget(c, SIGNUP, idWolves);
    memberships.forgetRehearsal(c, idWolves);
  }

  /**
   * An address a signup can be tried with: a current membership without an account. For {@code
   * accounts dev} to suggest one; empty when there is none.
   */
  public Optional<String> addressThatCanSignUp() {
    return memberships.addressThatCanSignUp(LocalDate.now(clock));
  }

  /** What a new member does next: the done page says it, as the welcome mail does. */
  public WhatNext whatNext() {
    return mails.settings().whatNext();
  }

  /** Where someone who is not a member yet joins: the society's page on Wolves. */
  public java.net.URI joinUrl() {
    return mails.settings().joinUrl();
  }

  /** The username rule in words, for the form. */
  public String usernameRule() {
    return usernames.rule();
  }

  /** Step 2, opening the link: whether it is good. Never spends it (mail scanners open links). */
  public LinkCheck check(String token) {
    return links.check(SIGNUP, token);
  }

  /**
   * Step 3, the form: creates the account whole or not at all. The directory entry comes first (it
   * undoes itself if it fails half-way); then, in one transaction, the link is spent, the account
   * recorded and the welcome mail queued. If that transaction fails, the entry is removed.
   */
  public Completion complete(String token, String requestedUsername, String password) {
    return complete(token, requestedUsername, password, AuditLog.ANONYMOUS);
  }

  /** As above, from this client address, which the audit entry of the new account names. */
  public Completion complete(
      String token, String requestedUsername, String password, String client) {
    Completion completion;
    try {
      completion = completeOnce(token, requestedUsername, password, client);
    } catch (RuntimeException e) {
      countCompletion("error");
      throw e;
    }
    countCompletion(
        switch (completion) {
          case Completion.Created c -> "created";
          case Completion.LinkRefused c -> "token_refused";
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

  private Completion completeOnce(
      String token, String requestedUsername, String password, String client) {
    LinkCheck check = check(token);
    if (!(check instanceof LinkCheck.Valid(Link request))) {
      return new Completion.LinkRefused(check);
    }
    Membership member =
        database
            .withConnection("reading a signup", c -> memberships.byId(c, request.subject()))
            .orElse(null);
    // The link proved an address for a current membership when it was sent; both must still hold.
    if (member == null
        || !isCurrent(member)
        || !member.email().equalsIgnoreCase(request.address())) {
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
    if (listedUsernames.contains(username)) {
      return new Completion.UsernameRefused("'" + username + "' is taken; choose another.");
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
      recorded = record(token, username, member, client);
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
    try {
      return memberships.accountOf(idWolves).orElse(null);
    } catch (RuntimeException e) {
      return null; // unknown: treat as not recorded, so the entry is removed, as the error says
    }
  }

  private Completion record(String token, String username, Membership member, String client) {
    return database.inTransaction(
        "recording the account " + username,
        c -> {
          LinkCheck spent = links.spend(c, SIGNUP, token, clock.instant());
          if (!(spent instanceof LinkCheck.Valid)) {
            return new Completion.LinkRefused(spent); // another tab won the race
          }
          Optional<String> existing = memberships.accountOf(c, member.idWolves());
          if (existing.isPresent()) {
            return new Completion.MembershipHasAccount(existing.get());
          }
          memberships.linkAccount(
              c,
              username,
              member.idWolves(),
              member.email(),
              clock.instant().truncatedTo(ChronoUnit.SECONDS));
          mails.queueWelcome(c, member.email(), greeting(member), username);
          audit.record(
              c,
              new AuditLog.Entry(
                  username,
                  "account-created",
                  username,
                  client,
                  AuditLog.Outcome.DONE,
                  "signed up with membership " + member.idWolves()));
          return new Completion.Created(username);
        });
  }

  private boolean isCurrent(Membership member) {
    return member.isCurrentOn(LocalDate.now(clock));
  }
}
