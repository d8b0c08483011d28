package ie.skynet.accounts.account;

import ie.skynet.accounts.templates.Mail;
import ie.skynet.accounts.templates.MailTime;
import java.util.List;

/**
 * The mails of self-service and recovery, each with exactly what its templates under
 * mail-text/account and mail-html/account show.
 */
public sealed interface AccountMail extends Mail {
  /**
   * The usernames of the accounts that use an address; none is an answer too, with a link to sign
   * up.
   *
   * @param askedForUsernames false when a reset link was asked for by an address no account uses:
   *     that gets this mail too, with no usernames, under a subject that fits what was asked
   */
  record Usernames(List<String> usernames, String signupLink, boolean askedForUsernames)
      implements AccountMail {
    public Usernames {
      usernames = List.copyOf(usernames);
    }
  }

  /**
   * The link to choose a new password.
   *
   * @param minutes how long the link works
   */
  record Reset(String username, String link, long minutes) implements AccountMail {}

  /**
   * @param when as {@link ie.skynet.accounts.templates.Mails#time} writes it
   */
  record PasswordChanged(String username, MailTime when) implements AccountMail {}

  /**
   * To a new contact address: the link that confirms it.
   *
   * @param hours how long the link works
   */
  record EmailVerify(String username, String link, long hours) implements AccountMail {}

  /**
   * To the old contact address, as soon as a new one is asked for.
   *
   * @param email the new address asked for
   * @param hours how long the link to it works
   */
  record EmailChangeAsked(String username, String email, long hours) implements AccountMail {}

  /**
   * To the old contact address, once the new one is confirmed.
   *
   * @param email the new address
   * @param when as {@link ie.skynet.accounts.templates.Mails#time} writes it
   */
  record EmailChanged(String username, String email, MailTime when) implements AccountMail {}

  /**
   * @param added the keys as stored, each able to log in as the member
   * @param removed the keys as they were stored
   * @param when as {@link ie.skynet.accounts.templates.Mails#time} writes it
   */
  record SshKeysChanged(String username, List<String> added, List<String> removed, MailTime when)
      implements AccountMail {
    public SshKeysChanged {
      added = List.copyOf(added);
      removed = List.copyOf(removed);
    }
  }

  @Override
  default String template() {
    return switch (this) {
      case Usernames u -> "account/usernames.jte";
      case Reset r -> "account/reset.jte";
      case PasswordChanged p -> "account/password-changed.jte";
      case EmailVerify e -> "account/email-verify.jte";
      case EmailChangeAsked e -> "account/email-change-asked.jte";
      case EmailChanged e -> "account/email-changed.jte";
      case SshKeysChanged s -> "account/ssh-keys-changed.jte";
    };
  }

  @Override
  default String kind() {
    return switch (this) {
      case Usernames u -> "recover-username";
      case Reset r -> "recover-password";
      case PasswordChanged p -> "password-changed";
      case EmailVerify e -> "email-verify";
      case EmailChangeAsked e -> "email-change-asked";
      case EmailChanged e -> "email-changed";
      case SshKeysChanged s -> "ssh-keys-changed";
    };
  }

  @Override
  default String subject() {
    return switch (this) {
      // The subject says what the body says: none, one or several accounts.
      case Usernames u ->
          switch (u.usernames().size()) {
            case 0 -> "No Skynet account uses this address";
            case 1 -> "Your Skynet username";
            default -> "Your Skynet usernames";
          };
      case Reset r -> "Choose a new Skynet password";
      case PasswordChanged p -> "Your Skynet password was changed";
      case EmailVerify e -> "Confirm your new Skynet contact address";
      case EmailChangeAsked e -> "A new contact address was asked for your Skynet account";
      case EmailChanged e -> "Your Skynet contact address was changed";
      case SshKeysChanged s -> "The SSH keys of your Skynet account changed";
    };
  }
}
