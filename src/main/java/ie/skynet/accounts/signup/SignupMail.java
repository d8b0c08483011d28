package ie.skynet.accounts.signup;

import ie.skynet.accounts.templates.Mail;

/**
 * The mails of signup, each with exactly what its templates under mail-text/signup and
 * mail-html/signup show.
 */
public sealed interface SignupMail extends Mail {
  /**
   * The link to choose a username and password.
   *
   * @param name how the mail greets the member
   * @param hours how long the link works
   */
  record Verify(String name, String link, long hours) implements SignupMail {
    @Override
    public String template() {
      return "signup/verify.jte";
    }

    @Override
    public String kind() {
      return "signup-verify";
    }

    @Override
    public String subject() {
      return "Choose your Skynet username and password";
    }
  }

  /**
   * To a member whose membership has an account already: its username, and where to reset its
   * password instead of making a second one.
   */
  record Existing(String name, String username, String recoverLink) implements SignupMail {
    @Override
    public String template() {
      return "signup/existing.jte";
    }

    @Override
    public String kind() {
      return "signup-existing";
    }

    @Override
    public String subject() {
      return "You already have a Skynet account";
    }
  }

  /**
   * To an address no current membership has: what to do about it.
   *
   * @param joinLink the society's page on Wolves
   */
  record NotMember(String joinLink) implements SignupMail {
    @Override
    public String template() {
      return "signup/not-member.jte";
    }

    @Override
    public String kind() {
      return "signup-not-member";
    }

    @Override
    public String subject() {
      return "About your Skynet signup";
    }
  }

  /** Once the account is made. */
  record Welcome(String name, String username) implements SignupMail {
    @Override
    public String template() {
      return "signup/welcome.jte";
    }

    @Override
    public String kind() {
      return "signup-welcome";
    }

    @Override
    public String subject() {
      return "Welcome to Skynet";
    }
  }
}
