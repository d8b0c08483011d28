package ie.skynet.accounts.account;

import ie.skynet.accounts.templates.Outcome;
import ie.skynet.accounts.templates.Page;
import java.util.List;

/**
 * The pages of a member locked out, by mail or by SSH key, each with exactly what its template
 * under pages/recover shows.
 */
public sealed interface RecoveryPage extends Page {
  /**
   * Asks for the address whose usernames to mail.
   *
   * @param error empty when there is none
   */
  record Username(String csrf, String email, String error) implements RecoveryPage {
    public Outcome outcome() {
      return Outcome.problem("Nothing was sent:", "email", error);
    }
  }

  /**
   * Asks for the username or address of the account whose password to reset.
   *
   * @param error empty when there is none
   */
  record Password(String csrf, String user, String error) implements RecoveryPage {
    public Outcome outcome() {
      return Outcome.problem("Nothing was sent:", "user", error);
    }
  }

  /**
   * "Check your email".
   *
   * @param email what was asked about
   * @param waitSeconds above zero when nothing was sent: asked too recently, or the network busy
   * @param networkBusy nothing was sent because the client's network used its share, not because
   *     this was asked about: the page must not say it was
   * @param message what was sent, for when something was
   */
  record Sent(String email, long waitSeconds, boolean networkBusy, String message)
      implements RecoveryPage {}

  /**
   * Choose a new password, from a reset link.
   *
   * @param action where the form posts: the link itself
   * @param errors why the last password was refused; empty when there is none
   * @param againError why the second password was refused: it is not the first
   */
  record Reset(String csrf, String action, String username, List<String> errors, String againError)
      implements RecoveryPage {
    public Reset {
      errors = List.copyOf(errors);
    }

    public Outcome outcome() {
      return Outcome.first(
          Outcome.problem(UNCHANGED, "password", errors),
          Outcome.problem(UNCHANGED, "password-again", againError));
    }
  }

  /**
   * Asks for the username and address of an account to recover with an SSH key.
   *
   * @param error empty when there is none
   */
  record SshRequest(String csrf, String user, String email, String error) implements RecoveryPage {
    public Outcome outcome() {
      return Outcome.problem("No text to sign yet:", "user", error);
    }
  }

  /**
   * The text to sign, and the form for its signature.
   *
   * @param minutes how long the text can be signed
   * @param signature what was pasted, shown back with the error
   * @param error empty when there is none
   */
  record SshChallenge(
      String csrf, String user, String challenge, long minutes, String signature, String error)
      implements RecoveryPage {
    public Outcome outcome() {
      return Outcome.problem("The signature was not accepted:", "signature", error);
    }
  }

  /** What a refused new password leaves as it was. */
  String UNCHANGED = "Your password is not changed:";

  @Override
  default String template() {
    return switch (this) {
      case Username u -> "recover/username.jte";
      case Password p -> "recover/password.jte";
      case Sent s -> "recover/sent.jte";
      case Reset r -> "recover/reset.jte";
      case SshRequest s -> "recover/ssh.jte";
      case SshChallenge s -> "recover/ssh-challenge.jte";
    };
  }
}
