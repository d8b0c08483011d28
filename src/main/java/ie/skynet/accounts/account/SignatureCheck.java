package ie.skynet.accounts.account;

/** What {@link SshSignatures#verify} made of an SSH signature. */
public sealed interface SignatureCheck permits SignatureCheck.Verified, SignatureCheck.Refused {

  /** The signature is valid and was made by {@code key}, one of the allowed keys. */
  record Verified(SshKey key) implements SignatureCheck {}

  /** The signature proves nothing; {@code reason} is a sentence saying why. */
  record Refused(String reason) implements SignatureCheck {}
}
