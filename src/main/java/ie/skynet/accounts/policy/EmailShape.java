package ie.skynet.accounts.policy;

/**
 * What a typed email address must look like before anything looks it up or mails it. Loose on
 * purpose: an address that merely looks right costs a mail that goes nowhere, while a strict check
 * turns away members whose real addresses it did not foresee.
 */
public final class EmailShape {
  /** RFC 5321's limit on a forward path; the forms cap their address fields at it too. */
  public static final int MAX_LENGTH = 254;

  private EmailShape() {}

  /**
   * Whether a typed address, stripped of surrounding space, could be one: not empty, no longer than
   * {@link #MAX_LENGTH}, with an {@code @} after at least one character.
   */
  public static boolean fits(String email) {
    return !email.isEmpty() && !tooLong(email) && email.indexOf('@') >= 1;
  }

  /**
   * Whether a typed value is longer than any address, or any username, the service knows: such a
   * value is not even shown back in the form.
   */
  public static boolean tooLong(String value) {
    return value.length() > MAX_LENGTH;
  }
}
