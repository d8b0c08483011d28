package ie.skynet.accounts.signup;

import ie.skynet.accounts.http.BaseUrl;
import ie.skynet.accounts.outbox.OutgoingMail;
import ie.skynet.accounts.templates.Mails;

/** Signup's mails, filled in from its settings: the links, the link's lifetime, the join page. */
final class SignupMails {
  private final Mails mails;
  private final SignupSettings settings;
  private final BaseUrl base;

  SignupMails(SignupSettings settings, Mails mails) {
    this.mails = mails;
    this.settings = settings;
    this.base = new BaseUrl(settings.baseUrl());
  }

  OutgoingMail verify(String to, String name, String token) {
    return mails.render(
        to,
        new SignupMail.Verify(
            name, base.link("/signup/" + token), settings.tokenLifetime().toHours()));
  }

  OutgoingMail existing(String to, String name, String username) {
    return mails.render(
        to, new SignupMail.Existing(name, username, base.link("/recover/password")));
  }

  OutgoingMail notMember(String to) {
    return mails.render(to, new SignupMail.NotMember(settings.joinUrl().toString()));
  }

  OutgoingMail welcome(String to, String name, String username) {
    return mails.render(to, new SignupMail.Welcome(name, username));
  }
}
