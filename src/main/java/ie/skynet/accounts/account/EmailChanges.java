package ie.skynet.accounts.account;

import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.directory.Directory;
import ie.skynet.accounts.directory.Profile;
import ie.skynet.accounts.links.Link;
import ie.skynet.accounts.links.LinkCheck;
import ie.skynet.accounts.links.LinkPurpose;
import ie.skynet.accounts.links.Links;
import ie.skynet.accounts.membership.Memberships;
import ie.skynet.accounts.policy.EmailShape;
import ie.skynet.accounts.policy.RequestLimits;
import ie.skynet.accounts.templates.Mails;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changing a member's contact address. The new address is proved with a link mailed to it, as at
 * signup; once it is, the old address is told. An address that belongs to a current membership
 * brings that membership to an account whose own has lapsed, and the account back into the members
 * group, unless a sysadmin disabled it.
 */
public final class EmailChanges {
  /** How long the link to confirm a new address works. */
  static final Duration LIFETIME = Duration.ofHours(24);

  private static final Logger log = LoggerFactory.getLogger(EmailChanges.class);
  private static final LinkPurpose CHANGE = LinkPurpose.EMAIL_CHANGE;

  private final Database database;
  private final Memberships memberships;
  private final Links links;
  private final Directory directory;
  private final RequestLimits limits;
  private final AuditLog audit;
  private final Mails mails;
  private final Clock clock;

  /**
   * @param limits how often one address may be sent a link, and one client ask for them
   */
  public EmailChanges(
      Database database,
      Memberships memberships,
      Links links,
      Directory directory,
      RequestLimits limits,
      AuditLog audit,
      Mails mails,
      Clock clock) {
    this.database = database;
    this.memberships = memberships;
    this.links = links;
    this.directory = directory;
    this.limits = limits;
    this.audit = audit;
    this.mails = mails;
    this.clock = clock;
  }

  /** How asking for a new address ended. */
  public sealed interface Request {
    /** A link is on its way to the new address. */
    record Sent(String email) implements Request {}

    /** Not an address mail can go to. */
    record Invalid(String reason) implements Request {}

    /** The account already uses this address. */
    record Unchanged() implements Request {}

    record TryLater(Duration after) implements Request {}
  }

  /**
   * Mails a confirmation link to the new address. The caller has checked the member's password:
   * whoever can change the address can take the account over by a reset link.
   */
  public Request request(String username, String newEmail, String client) {
    String email = newEmail.strip();
    // The rule signup and recovery hold typed addresses to, so an address set here can be
    // found again by "forgot my username".
    if (!EmailShape.fits(email)) {
      return new Request.Invalid(
          "Enter one email address, such as name@example.com, with no name or spaces around it.");
    }
    Profile profile = directory.profile(username).orElse(null);
    if (profile == null) {
      throw new IllegalStateException("the logged-in account " + username + " is gone");
    }
    if (profile.mail() != null && profile.mail().equalsIgnoreCase(email)) {
      return new Request.Unchanged();
    }
    if (limits.tryRequest(email, client) instanceof RequestLimits.Verdict.TryLater later) {
      return new Request.TryLater(later.after());
    }
    database.runInTransaction(
        "recording the address change of " + username,
        connection -> {
          String token = links.issue(connection, CHANGE, username, email, LIFETIME);
          mails.queue(
              connection,
              email,
              new AccountMail.EmailVerify(
                  username, mails.link("/account/email/" + token), LIFETIME.toHours()));
          // Told at once, not only once it is done: if someone else asked, the member can change
          // the password now, which spends the link before it is used.
          mails.queueIfDeliverable(
              connection,
              profile.mail(),
              new AccountMail.EmailChangeAsked(username, email, LIFETIME.toHours()));
          audit.record(
              connection,
              new AuditLog.Entry(
                  username,
                  "email-change-asked",
                  username,
                  client,
                  AuditLog.Outcome.DONE,
                  "a link to confirm " + email + " was mailed there"));
        });
    return new Request.Sent(email);
  }

  /**
   * Opening the link: whether it is good. Never spends it (mail scanners open links). A good link's
   * subject is the username, its address the new one. The link of an account disabled since it was
   * mailed is as unknown as any other.
   */
  public LinkCheck check(String token) {
    LinkCheck check = links.check(CHANGE, token);
    if (check instanceof LinkCheck.Valid(Link valid) && disabled(valid.subject())) {
      return new LinkCheck.Unknown();
    }
    return check;
  }

  private boolean disabled(String username) {
    return database.withConnection(
        "reading the standing of " + username,
        c -> memberships.standing(c, username).filter(Memberships.Standing::disabled).isPresent());
  }

  /** How confirming a new address ended. */
  public sealed interface Confirmation {
    /**
     * @param membershipLinked the address brought a current membership to the account
     * @param activated and that put the account back in the members group
     */
    record Changed(String username, String email, boolean membershipLinked, boolean activated)
        implements Confirmation {}

    record LinkRefused(LinkCheck link) implements Confirmation {}
  }

  /**
   * The button behind the link: spends it, sets the address in the directory and here, brings a
   * current membership with that address to a lapsed account, and tells the old address.
   */
  public Confirmation confirm(String token, String client) {
    LinkCheck check = check(token);
    if (!(check instanceof LinkCheck.Valid(Link valid))) {
      return new Confirmation.LinkRefused(check);
    }
    String username = valid.subject();
    String email = valid.address();
    Instant spentAt = clock.instant();
    Profile before = directory.profile(username).orElse(null);
    if (before == null) {
      return new Confirmation.LinkRefused(new LinkCheck.Unknown()); // the account is gone
    }
    // One transaction holds the claim and every row written; the directory is changed inside it,
    // so a directory failure rolls the claim back (the link works again), and a failed commit
    // puts the directory back as it was.
    AtomicReference<@Nullable Relink> changed = new AtomicReference<>();
    try {
      return database.inTransaction(
          "changing the address of " + username,
          connection -> {
            LinkCheck spent = links.spend(connection, CHANGE, token, spentAt);
            if (!(spent instanceof LinkCheck.Valid)) {
              return new Confirmation.LinkRefused(spent);
            }
            Relink relink = relink(connection, username, email);
            directory.setMail(username, email);
            changed.set(relink);
            if (relink.membership() != null) {
              directory.linkMembership(username, relink.membership(), relink.activate());
            }
            record(connection, username, before.mail(), email, relink, spentAt, client);
            return new Confirmation.Changed(
                username, email, relink.membership() != null, relink.activate());
          });
    } catch (RuntimeException e) {
      Relink relink = changed.get();
      if (relink != null) {
        putBack(username, before.mail(), relink, e);
      }
      throw e;
    }
  }

  /** The rows of a confirmed change: the account, spent links, the notice and the audit entry. */
  private void record(
      Connection connection,
      String username,
      @Nullable String oldEmail,
      String email,
      Relink relink,
      Instant spentAt,
      String client)
      throws SQLException {
    memberships.changeContact(connection, username, email, relink.membership(), relink.activate());
    // Reset links and other address links went to, or were asked for, the old address.
    links.spendAll(connection, username, Set.of(LinkPurpose.PASSWORD_RESET, CHANGE));
    mails.queueIfDeliverable(
        connection, oldEmail, new AccountMail.EmailChanged(username, email, mails.time(spentAt)));
    audit.record(
        connection,
        new AuditLog.Entry(
            AuditLog.ANONYMOUS,
            "email-changed",
            username,
            client,
            AuditLog.Outcome.DONE,
            "from "
                + (oldEmail == null ? "none" : oldEmail)
                + " to "
                + email
                + (relink.membership() == null
                    ? ""
                    : "; linked membership "
                        + relink.membership()
                        + (relink.activate() ? " and activated" : ""))));
  }

  /** Undoes the directory side of a change that could not be recorded, as far as it can. */
  private void putBack(String username, @Nullable String oldEmail, Relink relink, Exception cause) {
    try {
      if (oldEmail != null) {
        directory.setMail(username, oldEmail);
      }
      if (relink.previous() != null && relink.membership() != null) {
        directory.linkMembership(username, relink.previous(), false);
      }
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
      log.error(
          "the address change of {} failed and the directory could not be put back: its mail"
              + " (and membership id) must be set back by hand",
          username,
          e);
    }
  }

  /**
   * @param membership the current membership to link, or null for none
   * @param activate whether the account goes (back) into the members group
   * @param previous the membership linked until now, to put back if the change fails
   */
  private record Relink(@Nullable String membership, boolean activate, @Nullable String previous) {}

  /**
   * Whether the address brings a membership: only to an account that is not active, or whose own
   * membership has lapsed, and only a current membership no other account holds.
   */
  private Relink relink(Connection c, String username, String email) throws SQLException {
    Memberships.Standing standing = memberships.standing(c, username).orElse(null);
    if (standing == null) {
      return new Relink(null, false, null);
    }
    LocalDate today = LocalDate.now(clock);
    boolean lapsed = standing.expiry() == null || standing.expiry().isBefore(today);
    if (standing.status().equals("active") && !lapsed) {
      return new Relink(null, false, standing.idWolves());
    }
    String membership = memberships.currentFreeMembership(c, email, username, today).orElse(null);
    if (membership == null) {
      return new Relink(null, false, standing.idWolves());
    }
    // A sysadmin's "disabled" is not undone by a member changing their address.
    boolean activate = !standing.status().toLowerCase(Locale.ROOT).equals("disabled");
    if (!activate) {
      log.info("{} is disabled: linking membership {} without activating", username, membership);
    }
    return new Relink(membership, activate, standing.idWolves());
  }
}
