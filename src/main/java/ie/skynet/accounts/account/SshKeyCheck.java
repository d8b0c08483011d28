package ie.skynet.accounts.account;

/** What {@link SshPublicKeys#check} made of a pasted public key. */
public sealed interface SshKeyCheck permits SshKeyCheck.Accepted, SshKeyCheck.Rejected {

  /** The key is of an accepted type and well formed. */
  record Accepted(SshKey key) implements SshKeyCheck {}

  /**
   * The key cannot be used; {@code reason} is a sentence for the member saying what was expected.
   */
  record Rejected(String reason) implements SshKeyCheck {}
}
