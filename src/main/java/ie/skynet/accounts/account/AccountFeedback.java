package ie.skynet.accounts.account;

import ie.skynet.accounts.templates.Outcome;
import java.util.List;

/**
 * What the account page says about the form just sent: a notice on success, or the errors of one of
 * its forms, each next to the field it concerns, with what was typed there (never a password) so
 * nothing has to be typed twice. Empty strings and lists mean nothing to say.
 */
public record AccountFeedback(
    String notice,
    String currentPasswordError,
    List<String> newPasswordErrors,
    String newPasswordAgainError,
    String emailError,
    String emailPasswordError,
    String typedEmail,
    String keyError,
    String keyPasswordError,
    String typedKey) {
  private static final String PASSWORD_UNCHANGED = "Your password is not changed:";
  private static final String EMAIL_UNCHANGED = "Your contact address is not changed:";
  private static final String KEYS_UNCHANGED = "Your SSH keys are not changed:";

  public AccountFeedback {
    newPasswordErrors = List.copyOf(newPasswordErrors);
  }

  static AccountFeedback none() {
    return notice("");
  }

  static AccountFeedback notice(String notice) {
    return new AccountFeedback(notice, "", List.of(), "", "", "", "", "", "", "");
  }

  static AccountFeedback currentPassword(String error) {
    return new AccountFeedback("", error, List.of(), "", "", "", "", "", "", "");
  }

  static AccountFeedback newPassword(List<String> errors) {
    return new AccountFeedback("", "", errors, "", "", "", "", "", "", "");
  }

  /** The second new password is not the first: its field is where to look. */
  static AccountFeedback newPasswordAgain(String error) {
    return new AccountFeedback("", "", List.of(), error, "", "", "", "", "", "");
  }

  static AccountFeedback email(String error, String typed) {
    return new AccountFeedback("", "", List.of(), "", error, "", typed, "", "", "");
  }

  static AccountFeedback emailPassword(String error, String typed) {
    return new AccountFeedback("", "", List.of(), "", "", error, typed, "", "", "");
  }

  static AccountFeedback key(String error, String typed) {
    return new AccountFeedback("", "", List.of(), "", "", "", "", error, "", typed);
  }

  static AccountFeedback keyPassword(String error, String typed) {
    return new AccountFeedback("", "", List.of(), "", "", "", "", "", error, typed);
  }

  /** What the top of the page says: the notice, or which change was not made and why. */
  public Outcome outcome() {
    return Outcome.first(
        Outcome.done(notice),
        Outcome.problem(PASSWORD_UNCHANGED, "current-password", currentPasswordError),
        Outcome.problem(PASSWORD_UNCHANGED, "new-password", newPasswordErrors),
        Outcome.problem(PASSWORD_UNCHANGED, "new-password-again", newPasswordAgainError),
        Outcome.problem(EMAIL_UNCHANGED, "new-email", emailError),
        Outcome.problem(EMAIL_UNCHANGED, "email-password", emailPasswordError),
        Outcome.problem(KEYS_UNCHANGED, "new-key", keyError),
        Outcome.problem(KEYS_UNCHANGED, "key-password", keyPasswordError));
  }
}
