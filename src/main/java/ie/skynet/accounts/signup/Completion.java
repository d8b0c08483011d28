package ie.skynet.accounts.signup;

import ie.skynet.accounts.links.LinkCheck;
import java.util.List;

/** How the last step of a signup ended; every case but {@link Created} leaves nothing behind. */
public sealed interface Completion {
  record Created(String username) implements Completion {}

  /** The link is no good (unknown, expired, used, or for something else). */
  record LinkRefused(LinkCheck check) implements Completion {}

  record UsernameRefused(String reason) implements Completion {}

  record PasswordRefused(List<String> reasons) implements Completion {}

  /** The membership lapsed, or moved to another address, since the link was sent. */
  record MembershipChanged() implements Completion {}

  /** The membership got an account meanwhile (another link, another tab). */
  record MembershipHasAccount(String username) implements Completion {}
}
