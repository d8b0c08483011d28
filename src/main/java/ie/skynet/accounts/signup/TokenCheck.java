package ie.skynet.accounts.signup;

/** What a presented token turned out to be. */
public sealed interface TokenCheck {
  /** Good for its purpose: not used, not expired. */
  record Valid(SignupRequest request) implements TokenCheck {}

  /** No such token: mistyped, forged, or from another database. */
  record Unknown() implements TokenCheck {}

  /** Issued, but its lifetime has passed. */
  record Expired(SignupRequest request) implements TokenCheck {}

  /** Issued, and already used once. */
  record Used(SignupRequest request) implements TokenCheck {}

  /** Issued for something else: a token never crosses purposes. */
  record WrongPurpose() implements TokenCheck {}
}
