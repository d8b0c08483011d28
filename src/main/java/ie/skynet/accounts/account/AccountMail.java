package ie.skynet.accounts.account;

import ie.skynet.accounts.templates.Mail;
import java.time.Instant;
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

    @Override
    public String template() {
      return "account/usernames.jte";
    }

    @Override
    public String kind() {
      return "recover-username";
    }

    @Override
    public String subject() {
      return askedForUsernames ? "Your Skynet username" : "About your Skynet account";
    }
  }

  /**
   * The link to choose a new password.
   *
   * @param minutes how long the link works
   */
  record Reset(String username, String link, long minutes) implements AccountMail {
    @Override
    public String template() {
      return "account/reset.jte";
    }

    @Override
    public String kind() {
      return "recover-password";
    }

    @Override
    public String subject() {
      return "Choose a new Skynet password";
    }
  }

  /**
   * @param when shown as ISO-8601 UTC, at the precision given
   */
  record PasswordChanged(String username, Instant when) implements AccountMail {
    @Override
    public String template() {
      return "account/password-changed.jte";
    }

    @Override
    public String kind() {
      return "password-changed";
    }

    @Override
    public String subject() {
      return "Your Skynet password was changed";
    }
  }

  /**
   * To a new contact address: the link that confirms it.
   *
   * @param hours how long the link works
   */
  record EmailVerify(String username, String link, long hours) implements AccountMail {
    @Override
    public String template() {
      return "account/email-verify.jte";
    }

    @Override
    public String kind() {
      return "email-verify";
    }

    @Override
    public String subject() {
      return "Confirm your new Skynet contact address";
    }
  }

  /**
   * To the old contact address, as soon as a new one is asked for.
   *
   * @param email the new address asked for
   * @param hours how long the link to it works
   */
  record EmailChangeAsked(String username, String email, long hours) implements AccountMail {
    @Override
    public String template() {
      return "account/email-change-asked.jte";
    }

    @Override
    public String kind() {
      return "email-change-asked";
    }

    @Override
    public String subject() {
      return "A new contact address was asked for your Skynet account";
    }
  }

  /**
   * To the old contact address, once the new one is confirmed.
   *
   * @param email the new address
   * @param when shown as ISO-8601 UTC, at the precision given
   */
  record EmailChanged(String username, String email, Instant when) implements AccountMail {
    @Override
    public String template() {
      return "account/email-changed.jte";
    }

    @Override
    public String kind() {
      return "email-changed";
    }

    @Override
    public String subject() {
      return "Your Skynet contact address was changed";
    }
  }

  /**
   * @param added the keys as stored, each able to log in as the member
   * @param removed the keys as they were stored
   * @param when shown as ISO-8601 UTC, at the precision given
   */
  record SshKeysChanged(String username, List<String> added, List<String> removed, Instant when)
      implements AccountMail {
    public SshKeysChanged {
      added = List.copyOf(added);
      removed = List.copyOf(removed);
    }

    @Override
    public String template() {
      return "account/ssh-keys-changed.jte";
    }

    @Override
    public String kind() {
      return "ssh-keys-changed";
    }

    @Override
    public String subject() {
      return "The SSH keys of your Skynet account changed";
    }
  }
}
