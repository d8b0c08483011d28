package ie.skynet.accounts.account;

import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.directory.Directory;
import ie.skynet.accounts.directory.Profile;
import ie.skynet.accounts.links.Links;
import ie.skynet.accounts.membership.Memberships;
import ie.skynet.accounts.policy.PasswordPolicy;
import ie.skynet.accounts.templates.Mails;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Logging in with LDAP credentials, sessions, and what the account page shows. */
public final class AccountService {
  private final Database database;
  private final Memberships memberships;
  private final Links links;
  private final Directory directory;
  private final PasswordPolicy passwords;
  private final AuditLog audit;
  private final Sessions sessions;
  private final LoginThrottle throttle;
  private final Admission admission;
  private final Mails mails;
  private final Clock clock;

  /**
   * @param admins who may log in without an account the service made ({@code lifecycle.admins})
   * @param clientFailures failed logins one client address may make in 15 minutes
   */
  public AccountService(
      Database database,
      Memberships memberships,
      Links links,
      Directory directory,
      PasswordPolicy passwords,
      AuditLog audit,
      Mails mails,
      Set<String> admins,
      int clientFailures,
      SecureRandom random,
      Clock clock) {
    this.database = database;
    this.memberships = memberships;
    this.links = links;
    this.directory = directory;
    this.passwords = passwords;
    this.audit = audit;
    this.mails = mails;
    this.sessions = new Sessions(database, random, clock);
    this.throttle = new LoginThrottle(clock, clientFailures);
    this.admission = new Admission(memberships, admins);
    this.clock = clock;
  }

  /** How a password change ended. */
  public sealed interface PasswordChange {
    record Changed() implements PasswordChange {}

    /** The current password given was wrong. */
    record WrongCurrent() implements PasswordChange {}

    /** Too many wrong current passwords from this client: try again after this long. */
    record Throttled(Duration retryAfter) implements PasswordChange {}

    /** The new password breaks the policy, for these reasons. */
    record Refused(List<String> reasons) implements PasswordChange {}
  }

  /**
   * Changes the password of a logged-in member who knows the current one. The member is mailed
   * (without the password), and every other session of the account ends: whoever else was logged in
   * is out.
   */
  public PasswordChange changePassword(
      @Nullable String session,
      String username,
      String current,
      String replacement,
      String client) {
    switch (confirmPassword(username, current, client)) {
      case Reauthentication.Throttled throttled -> {
        return new PasswordChange.Throttled(throttled.retryAfter());
      }
      case Reauthentication.Wrong wrong -> {
        return new PasswordChange.WrongCurrent();
      }
      case Reauthentication.Confirmed confirmed -> {}
    }
    Profile profile = directory.profile(username).orElse(null);
    if (profile == null) {
      return new PasswordChange.WrongCurrent();
    }
    PasswordPolicy.Owner owner =
        new PasswordPolicy.Owner(
            username, Objects.requireNonNullElse(profile.mail(), ""), profile.commonName(), null);
    if (passwords.check(replacement, owner) instanceof PasswordPolicy.Verdict.Rejected rejected) {
      return new PasswordChange.Refused(rejected.reasons());
    }
    directory.setPassword(username, replacement);
    if (session == null) {
      sessions.endAll(username); // changed from outside any session: every one of them ends
    } else {
      sessions.endOthers(username, session);
    }
    RecoveryService.forgetOpenLinks(database, links, username, clock);
    String mail = profile.mail();
    database.runInTransaction(
        "recording the password change of " + username,
        connection -> {
          audit.record(
              connection,
              new AuditLog.Entry(
                  username,
                  "password-changed",
                  username,
                  client,
                  AuditLog.Outcome.DONE,
                  "other sessions ended"));
          mails.queueIfDeliverable(
              connection,
              mail,
              new AccountMail.PasswordChanged(username, mails.time(clock.instant())));
        });
    return new PasswordChange.Changed();
  }

  /** How asking a logged-in member for their password again ended. */
  public sealed interface Reauthentication {
    record Confirmed() implements Reauthentication {}

    record Wrong() implements Reauthentication {}

    /** Too many wrong passwords from this client: try again after this long. */
    record Throttled(Duration retryAfter) implements Reauthentication {}
  }

  /**
   * Checks the password of someone already logged in, before a change that could take the account
   * over (password, address, keys). Throttled as logins are, so a stolen session cannot be used to
   * guess the password.
   */
  public Reauthentication confirmPassword(String username, String password, String client) {
    Duration wait = throttle.tryAttempt(username, client);
    if (!wait.isZero()) {
      return new Reauthentication.Throttled(wait);
    }
    // Not admitted is answered as a wrong password, and still counts against the throttle: a
    // disabled account and a service's entry look exactly like an unknown username.
    if (!admission.admits(username) || !directory.authenticate(username, password)) {
      return new Reauthentication.Wrong();
    }
    throttle.succeeded(username, client);
    return new Reauthentication.Confirmed();
  }

  /** Which part of the name a member changes. */
  public enum NamePart {
    /** The full name, {@code cn}. */
    FULL_NAME,
    /** The surname, {@code sn}. */
    SURNAME
  }

  /** How a change of name ended. */
  public sealed interface Rename {
    record Renamed() implements Rename {}

    record Invalid(String reason) implements Rename {}
  }

  private static final int MAX_NAME = 128;

  /** How setting the Discord account ended. */
  public sealed interface DiscordChange {
    /** Set, or removed when the value was empty. */
    record Done() implements DiscordChange {}

    record Invalid(String reason) implements DiscordChange {}

    /** The directory holds no Discord accounts (its schema lacks the attribute). */
    record NotEnabled() implements DiscordChange {}
  }

  /**
   * A Discord username as Discord has allowed since 2023 (2 to 32 of lowercase letters, digits, '_'
   * and '.', never two dots together), or a numeric user ID.
   */
  private static final Pattern DISCORD =
      Pattern.compile("(?!.*\\.\\.)[a-z0-9_.]{2,32}|[0-9]{17,20}");

  /** Links the member's Discord account, or unlinks it when the value is blank. */
  public DiscordChange setDiscord(String username, String value, String client) {
    if (!directory.discordEnabled()) {
      return new DiscordChange.NotEnabled();
    }
    String account = value.strip().toLowerCase(Locale.ROOT);
    if (!account.isEmpty() && !DISCORD.matcher(account).matches()) {
      return new DiscordChange.Invalid(
          "A Discord account is a username of 2 to 32 lowercase letters, digits, '_' or '.'"
              + " (never two dots together), such as aoife.codes, or a numeric user ID; found '"
              + (account.length() > 40 ? account.substring(0, 40) + "…" : account)
              + "'");
    }
    directory.setDiscord(username, account.isEmpty() ? null : account);
    audit.record(
        database,
        new AuditLog.Entry(
            username,
            account.isEmpty() ? "discord-removed" : "discord-changed",
            username,
            client,
            AuditLog.Outcome.DONE,
            account.isEmpty() ? "" : "to " + account));
    return new DiscordChange.Done();
  }

  /** Sets the member's full name or surname, as they want to be known. */
  public Rename rename(String username, NamePart part, String value, String client) {
    String name = value.strip();
    if (name.isEmpty() || name.length() > MAX_NAME) {
      return new Rename.Invalid(
          "A name must have between 1 and " + MAX_NAME + " characters; this has " + name.length());
    }
    if (name.codePoints()
        .anyMatch(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
      return new Rename.Invalid("A name must not hold control or formatting characters.");
    }
    if (part == NamePart.FULL_NAME) {
      directory.setCommonName(username, name);
    } else {
      directory.setSurname(username, name);
    }
    audit.record(
        database,
        new AuditLog.Entry(
            username,
            part == NamePart.FULL_NAME ? "name-changed" : "surname-changed",
            username,
            client,
            AuditLog.Outcome.DONE,
            "to " + name));
    return new Rename.Renamed();
  }

  /** The account's entry as its owner sees it; empty if the directory no longer has it. */
  public Optional<Profile> profile(String username) {
    return directory.profile(username);
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

  /**
   * Usernames as this service makes them, in ASCII: anything else is refused before LDAP sees it,
   * since a directory may match other spellings (fullwidth letters, long s) to the same entry.
   */
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /** The username as stored, from what was typed; empty if no account can have it. */
  public static Optional<String> canonicalUsername(String typed) {
    String name = typed.strip().toLowerCase(Locale.ROOT);
    return USERNAME.matcher(name).matches() ? Optional.of(name) : Optional.empty();
  }

  public Login login(String username, String password, String client) {
    Optional<String> canonical = canonicalUsername(username);
    if (canonical.isEmpty()) {
      // No such account can exist, and nothing to throttle. What was typed is not recorded:
      // it may be a password typed into the wrong field.
      audit.record(database, loginEntry(AuditLog.ANONYMOUS, "-", client, REFUSED_LOGIN));
      return new Login.Refused();
    }
    String name = canonical.get();
    // authenticate() refuses an empty password itself, before any bind.
    return switch (confirmPassword(name, password, client)) {
      case Reauthentication.Throttled throttled -> {
        audit.record(
            database,
            loginEntry(
                AuditLog.ANONYMOUS,
                name,
                client,
                "throttled: too many failures, again in "
                    + throttled.retryAfter().toSeconds()
                    + " s"));
        yield new Login.Throttled(throttled.retryAfter());
      }
      case Reauthentication.Wrong wrong -> {
        audit.record(database, loginEntry(AuditLog.ANONYMOUS, name, client, REFUSED_LOGIN));
        yield new Login.Refused();
      }
      case Reauthentication.Confirmed confirmed -> {
        audit.record(
            database, new AuditLog.Entry(name, "login", name, client, AuditLog.Outcome.DONE, ""));
        yield new Login.LoggedIn(sessions.start(name), name);
      }
    };
  }

  private static final String REFUSED_LOGIN =
      "wrong username or password, or not allowed to log in";

  private static AuditLog.Entry loginEntry(
      String actor, String target, String client, String detail) {
    return new AuditLog.Entry(actor, "login", target, client, AuditLog.Outcome.REFUSED, detail);
  }

  /**
   * The user of a live session; empty if it is unknown, timed out or ended, or if its account has
   * been disabled since (the session ends then).
   */
  public Optional<String> user(String session) {
    Optional<String> user = sessions.user(session);
    if (user.isPresent() && !admission.admits(user.get())) {
      sessions.end(session);
      return Optional.empty();
    }
    return user;
  }

  /** Whether the user may use the admin pages: in {@code lifecycle.admins}, and not disabled. */
  public boolean isAdmin(String username) {
    return admission.isAdmin(username);
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
    LocalDate expiry = memberships.expiryOf(username).orElse(null);
    Profile p = profile.get();
    return Optional.of(
        new AccountView(
            p.username(),
            p.commonName(),
            p.mail(),
            SshKeyChanges.stored(p),
            expiry,
            expiry != null && !expiry.isBefore(LocalDate.now(clock)),
            p.discord(),
            directory.discordEnabled()));
  }
}
