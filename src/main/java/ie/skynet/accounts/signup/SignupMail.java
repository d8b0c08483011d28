package ie.skynet.accounts.signup;

import ie.skynet.accounts.templates.Mail;
import ie.skynet.accounts.templates.MailTime;
import org.jspecify.annotations.Nullable;

/**
 * The mails of signup, each with exactly what its templates under mail-text/signup and
 * mail-html/signup show.
 */
public sealed interface SignupMail extends Mail {
  /** The kind of {@link Verify}, by which the outbox knows it (preflight waits for one). */
  String VERIFY = "signup-verify";

  /** The kind of {@link Welcome}. */
  String WELCOME = "signup-welcome";

  /**
   * The link to choose a username and password.
   *
   * @param name how the mail greets the member
   * @param hours how long the link works
   */
  record Verify(String name, String link, long hours) implements SignupMail {}

  /**
   * To a member whose membership has an account already: its username, and where to reset its
   * password instead of making a second one.
   */
  record Existing(String name, String username, String recoverLink) implements SignupMail {}

  /**
   * To an address not on the membership list. A stranger and someone who joined minutes ago look
   * the same to us, so it serves both: when the list is next updated (try again after it), and
   * where to join.
   *
   * @param signupLink where to ask again
   * @param joinLink the society's page on Wolves
   */
  record NotFound(ListUpdates updates, String signupLink, String joinLink) implements SignupMail {}

  /**
   * To the address of a membership that has ended: how to renew. It goes only to the membership's
   * own address, so saying that the membership lapsed, or naming its account, tells no one else.
   *
   * @param ended the membership's expiry
   * @param username the account made from the membership, which renewing brings back; null if it
   *     never had one, and then renewing lets the member sign up
   * @param renewLink the society's page on Wolves
   * @param signupLink where to ask again once renewed
   */
  record Lapsed(
      String name,
      MailTime ended,
      @Nullable String username,
      String renewLink,
      ListUpdates updates,
      String signupLink)
      implements SignupMail {}

  /**
   * Once the account is made: its username, and what to do with it.
   *
   * @param accountLink the member's account page
   */
  record Welcome(String name, String username, WhatNext next, String accountLink)
      implements SignupMail {}

  @Override
  default String template() {
    return switch (this) {
      case Verify v -> "signup/verify.jte";
      case Existing e -> "signup/existing.jte";
      case NotFound n -> "signup/not-found.jte";
      case Lapsed l -> "signup/lapsed.jte";
      case Welcome w -> "signup/welcome.jte";
    };
  }

  @Override
  default String kind() {
    return switch (this) {
      case Verify v -> VERIFY;
      case Existing e -> "signup-existing";
      case NotFound n -> "signup-not-found";
      case Lapsed l -> "signup-lapsed";
      case Welcome w -> WELCOME;
    };
  }

  @Override
  default String subject() {
    return switch (this) {
      case Verify v -> "Choose your Skynet username and password";
      case Existing e -> "You already have a Skynet account";
      case NotFound n -> "Skynet signup: this address is not on our membership list yet";
      case Lapsed l -> "Your Skynet membership has ended: how to renew";
      case Welcome w -> "Welcome to Skynet";
    };
  }
}
