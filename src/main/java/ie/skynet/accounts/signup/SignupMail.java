package ie.skynet.accounts.signup;

import ie.skynet.accounts.templates.Mail;

/**
 * The mails of signup, each with exactly what its templates under mail-text/signup and
 * mail-html/signup show.
 */
public sealed interface SignupMail extends Mail {
  /** The kind of {@link Verify}, by which the outbox knows it (preflight waits for one). */
  String VERIFY = "signup-verify";

  /** The kind of {@link Welcome}. */
  String WELCOME = "signup-welcome";

  /**
   * The link to choose a username and password.
   *
   * @param name how the mail greets the member
   * @param hours how long the link works
   */
  record Verify(String name, String link, long hours) implements SignupMail {}

  /**
   * To a member whose membership has an account already: its username, and where to reset its
   * password instead of making a second one.
   */
  record Existing(String name, String username, String recoverLink) implements SignupMail {}

  /**
   * To an address no current membership has: what to do about it.
   *
   * @param joinLink the society's page on Wolves
   */
  record NotMember(String joinLink) implements SignupMail {}

  /** Once the account is made. */
  record Welcome(String name, String username) implements SignupMail {}

  @Override
  default String template() {
    return switch (this) {
      case Verify v -> "signup/verify.jte";
      case Existing e -> "signup/existing.jte";
      case NotMember n -> "signup/not-member.jte";
      case Welcome w -> "signup/welcome.jte";
    };
  }

  @Override
  default String kind() {
    return switch (this) {
      case Verify v -> VERIFY;
      case Existing e -> "signup-existing";
      case NotMember n -> "signup-not-member";
      case Welcome w -> WELCOME;
    };
  }

  @Override
  default String subject() {
    return switch (this) {
      case Verify v -> "Choose your Skynet username and password";
      case Existing e -> "You already have a Skynet account";
      case NotMember n -> "About your Skynet signup";
      case Welcome w -> "Welcome to Skynet";
    };
  }
}
