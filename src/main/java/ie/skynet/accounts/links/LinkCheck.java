package ie.skynet.accounts.links;

/** What a presented link turned out to be. */
public sealed interface LinkCheck {
  /** Good: issued for this purpose, not used, not expired. */
  record Valid(Link link) implements LinkCheck {}

  /** No such link: mistyped, forged, from another database, or issued for another purpose. */
  record Unknown() implements LinkCheck {}

  /** Issued, but its lifetime has passed. */
  record Expired() implements LinkCheck {}

  /** Issued, and already used once (or spent when the account changed since). */
  record Used() implements LinkCheck {}
}
