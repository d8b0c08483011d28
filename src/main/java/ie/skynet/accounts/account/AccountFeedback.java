package ie.skynet.accounts.account;

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
    String emailError,
    String emailPasswordError,
    String typedEmail,
    String keyError,
    String keyPasswordError,
    String typedKey) {

  static AccountFeedback none() {
    return notice("");
  }

  static AccountFeedback notice(String notice) {
    return new AccountFeedback(notice, "", List.of(), "", "", "", "", "", "");
  }

  static AccountFeedback currentPassword(String error) {
    return new AccountFeedback("", error, List.of(), "", "", "", "", "", "");
  }

  static AccountFeedback newPassword(List<String> errors) {
    return new AccountFeedback("", "", errors, "", "", "", "", "", "");
  }

  static AccountFeedback email(String error, String typed) {
    return new AccountFeedback("", "", List.of(), error, "", typed, "", "", "");
  }

  static AccountFeedback emailPassword(String error, String typed) {
    return new AccountFeedback("", "", List.of(), "", error, typed, "", "", "");
  }

  static AccountFeedback key(String error, String typed) {
    return new AccountFeedback("", "", List.of(), "", "", "", error, "", typed);
  }

  static AccountFeedback keyPassword(String error, String typed) {
    return new AccountFeedback("", "", List.of(), "", "", "", "", error, typed);
  }
}
