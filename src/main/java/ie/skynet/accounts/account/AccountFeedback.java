package ie.skynet.accounts.account;

import java.util.List;

/**
 * What the account page says about the form just sent: a notice on success, or the errors of one of
 * its forms. Empty strings and lists mean nothing to say.
 */
public record AccountFeedback(
    String notice,
    String currentPasswordError,
    List<String> newPasswordErrors,
    String emailError,
    String keyError) {

  static AccountFeedback none() {
    return new AccountFeedback("", "", List.of(), "", "");
  }

  static AccountFeedback notice(String notice) {
    return new AccountFeedback(notice, "", List.of(), "", "");
  }

  static AccountFeedback currentPassword(String error) {
    return new AccountFeedback("", error, List.of(), "", "");
  }

  static AccountFeedback newPassword(List<String> errors) {
    return new AccountFeedback("", "", errors, "", "");
  }

  static AccountFeedback email(String error) {
    return new AccountFeedback("", "", List.of(), error, "");
  }

  static AccountFeedback key(String error) {
    return new AccountFeedback("", "", List.of(), "", error);
  }
}
