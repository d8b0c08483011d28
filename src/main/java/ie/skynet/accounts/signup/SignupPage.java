package ie.skynet.accounts.signup;

import ie.skynet.accounts.templates.Page;
import java.util.List;

/** The signup pages, each with exactly what its template under pages/signup shows. */
public sealed interface SignupPage extends Page {
  /**
   * Asks for the address of a membership.
   *
   * @param email what was typed, shown back with the error
   * @param error empty when there is none
   */
  record Request(String csrf, String email, String error) implements SignupPage {}

  /**
   * "Check your email", with a button to send it again.
   *
   * @param waitSeconds above zero when the mail was not sent: asked for too recently
   */
  record Sent(String csrf, String email, long waitSeconds) implements SignupPage {}

  /**
   * Choose a username and password, from the mailed link.
   *
   * @param action where the form posts: the link itself
   * @param usernameHint the username rule, in words
   * @param problem a fault on our side, above the form; empty when there is none
   */
  record Choose(
      String csrf,
      String action,
      String email,
      String username,
      String usernameHint,
      String usernameError,
      List<String> passwordErrors,
      String problem)
      implements SignupPage {
    public Choose {
      passwordErrors = List.copyOf(passwordErrors);
    }
  }

  /**
   * @param justCreated false when the membership had this account already
   * @param next where to log in and where the society's services are
   */
  record Done(String username, boolean justCreated, WhatNext next) implements SignupPage {}

  @Override
  default String template() {
    return switch (this) {
      case Request r -> "signup/request.jte";
      case Sent s -> "signup/sent.jte";
      case Choose c -> "signup/choose.jte";
      case Done d -> "signup/done.jte";
    };
  }
}
