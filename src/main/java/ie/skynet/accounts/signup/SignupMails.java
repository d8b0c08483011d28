package ie.skynet.accounts.signup;

import ie.skynet.accounts.outbox.OutgoingMail;
import ie.skynet.accounts.templates.Mails;
import java.sql.Connection;
import java.sql.SQLException;

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

  OutgoingMail notMember(String to) {
    return mails.render(to, new SignupMail.NotMember(settings.joinUrl().toString()));
  }

  void queueWelcome(Connection c, String to, String name, String username) throws SQLException {
    mails.queue(c, to, new SignupMail.Welcome(name, username));
  }
}
