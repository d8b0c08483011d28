package ie.skynet.accounts.account;

import ie.skynet.accounts.templates.Outcome;
import ie.skynet.accounts.templates.Page;

/** The pages of a member with an account, each with exactly what its template shows. */
public sealed interface AccountPage extends Page {
  /**
   * @param username shown back in the form: what was typed, or the account just recovered
   * @param error why the last attempt failed; empty when there is none
   * @param notice what just happened (logged out, password changed); empty when nothing did
   */
  record Login(String csrf, String username, String error, String notice) implements AccountPage {
    public Outcome outcome() {
      return Outcome.first(
          Outcome.done(notice),
          // An address typed as the username is the username's problem; otherwise the password
          // is where to start again (the username stays filled in).
          Outcome.problem(
              "You are not logged in:", username.contains("@") ? "username" : "password", error));
    }
  }

  /**
   * The account page itself, with what it says about the form just sent.
   *
   * @param renewLink where a lapsed member renews: the society's page on Wolves
   * @param admin whether to link the admin pages
   */
  record Overview(
      String csrf, AccountView account, AccountFeedback feedback, String renewLink, boolean admin)
      implements AccountPage {}

  /**
   * Asks before a mailed link changes the contact address: opening a link changes nothing.
   *
   * @param action where the form posts: the link itself
   */
  record EmailConfirm(String csrf, String action, String username, String email)
      implements AccountPage {}

  @Override
  default String template() {
    return switch (this) {
      case Login l -> "account/login.jte";
      case Overview o -> "account/account.jte";
      case EmailConfirm e -> "account/email-confirm.jte";
    };
  }
}
