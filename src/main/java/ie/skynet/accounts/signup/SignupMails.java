package ie.skynet.accounts.signup;

import ie.skynet.accounts.membership.Memberships.Membership;
import ie.skynet.accounts.outbox.OutgoingMail;
import ie.skynet.accounts.templates.MailTime;
import ie.skynet.accounts.templates.Mails;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Signup's mails, filled in from its settings: the links, the link's lifetime, the join page. */
record SignupMails(SignupSettings settings, Mails mails) {

  OutgoingMail verify(String to, String name, String token) {
    return mails.render(to, verifyMail(name, token));
  }

  /** The same mail as {@link #verify}, queued in the caller's transaction. */
  void queueVerify(Connection c, String to, String name, String token) throws SQLException {
    mails.queue(c, to, verifyMail(name, token));
  }

  private SignupMail.Verify verifyMail(String name, String token) {
    return new SignupMail.Verify(
        name, mails.link("/signup/" + token), settings.tokenLifetime().toHours());
  }

  OutgoingMail existing(String to, String name, String username) {
    return mails.render(
        to, new SignupMail.Existing(name, username, mails.link("/recover/password")));
  }

  /**
   * @param lastUpdate when the last accepted import finished; null if none has
   */
  OutgoingMail notFound(String to, @Nullable Instant lastUpdate, Instant now) {
    return mails.render(
        to,
        new SignupMail.NotFound(
            updates(lastUpdate, now), mails.link("/signup"), settings.joinUrl().toString()));
  }

  /** To the membership's own address: it ended, and how to renew. */
  OutgoingMail lapsed(Membership member, String name, @Nullable Instant lastUpdate, Instant now) {
    return mails.render(
        member.email(),
        new SignupMail.Lapsed(
            name,
            mails.day(member.expiry()),
            member.username(),
            settings.joinUrl().toString(),
            updates(lastUpdate, now),
            mails.link("/signup")));
  }

  /**
   * The next update is the last plus the schedule's period; promised only while that is still
   * ahead: an overdue one (the sync failing, or the service down) has no time we can stand by.
   */
  private ListUpdates updates(@Nullable Instant lastUpdate, Instant now) {
    MailTime last = lastUpdate == null ? null : mails.time(lastUpdate);
    MailTime next = null;
    Duration period = settings.listUpdatePeriod();
    if (lastUpdate != null && period != null) {
      Instant due = lastUpdate.plus(period);
      if (due.isAfter(now)) {
        next = mails.time(due);
      }
    }
    return new ListUpdates(last, next);
  }

  void queueWelcome(Connection c, String to, String name, String username) throws SQLException {
    mails.queue(
        c, to, new SignupMail.Welcome(name, username, settings.whatNext(), mails.link("/account")));
  }
}
