package ie.skynet.accounts.signup;

import ie.skynet.accounts.http.BaseUrl;
import ie.skynet.accounts.outbox.OutgoingMail;
import ie.skynet.accounts.templates.Mails;
import java.util.Map;

/** The mails of signup, each rendered from its text and HTML templates (src/main/jte). */
final class SignupMails {
  private final Mails mails = new Mails();
  private final SignupSettings settings;
  private final BaseUrl base;

  SignupMails(SignupSettings settings) {
    this.settings = settings;
    this.base = new BaseUrl(settings.baseUrl());
  }

  OutgoingMail verify(String to, String name, String token) {
    return render(
        to,
        "signup-verify",
        "Choose your Skynet username and password",
        "signup/verify.jte",
        Map.of(
            "name",
            name,
            "link",
            base.link("/signup/" + token),
            "hours",
            settings.tokenLifetime().toHours()));
  }

  OutgoingMail existing(String to, String name, String username) {
    return render(
        to,
        "signup-existing",
        "You already have a Skynet account",
        "signup/existing.jte",
        Map.of("name", name, "username", username, "recoverLink", base.link("/recover/password")));
  }

  OutgoingMail notMember(String to) {
    return render(
        to,
        "signup-not-member",
        "About your Skynet signup",
        "signup/not-member.jte",
        Map.of("joinLink", settings.joinUrl().toString()));
  }

  OutgoingMail welcome(String to, String name, String username) {
    return render(
        to,
        "signup-welcome",
        "Welcome to Skynet",
        "signup/welcome.jte",
        Map.of("name", name, "username", username));
  }

  private OutgoingMail render(
      String to, String template, String subject, String file, Map<String, Object> params) {
    return mails.render(to, template, subject, file, params);
  }
}
