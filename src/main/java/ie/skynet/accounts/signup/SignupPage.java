package ie.skynet.accounts.signup;

import ie.skynet.accounts.templates.Outcome;
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
  record Request(String csrf, String email, String error) implements SignupPage {
    public Outcome outcome() {
      return Outcome.problem("Nothing was sent:", "email", error);
    }
  }

  /**
   * "Check your email", with a button to send it again.
   *
   * @param waitSeconds above zero when the mail was not sent: asked for too recently
   * @param networkBusy the mail was not sent because the network it came from has used its share
   *     (many people behind one address), not because this address asked: the page must not blame
   *     the person reading it
   */
  record Sent(String csrf, String email, long waitSeconds, boolean networkBusy)
      implements SignupPage {}

  /**
   * Choose a username and password, from the mailed link.
   *
   * @param action where the form posts: the link itself
   * @param usernameHint the username rule, in words
   * @param password filled in again when only the username was refused, so that a taken name does
   *     not cost typing two passwords again; empty otherwise
   * @param againError why the second password was refused: it is not the first
   * @param problem a fault on our side, above the form; empty when there is none
   */
  record Choose(
      String csrf,
      String action,
      String email,
      String username,
      String usernameHint,
      String usernameError,
      String password,
      List<String> passwordErrors,
      String againError,
      String problem)
      implements SignupPage {
    private static final String NOT_YET = "Your account is not made yet:";

    public Choose {
      passwordErrors = List.copyOf(passwordErrors);
    }

    public Outcome outcome() {
      return Outcome.first(
          Outcome.failed(problem),
          Outcome.problem(NOT_YET, "username", usernameError),
          Outcome.problem(NOT_YET, "password", passwordErrors),
          Outcome.problem(NOT_YET, "password-again", againError));
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
