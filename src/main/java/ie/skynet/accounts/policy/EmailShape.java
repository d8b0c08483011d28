package ie.skynet.accounts.policy;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

/**
 * What an email address must look like before anything looks it up or mails it: the rule the import
 * holds the addresses it imports to, and the forms the addresses members type (signup, recovery, a
 * new contact address). No stricter: a check beyond what the parser and a dotted domain ask turns
 * away members whose real addresses it did not foresee.
 */
public final class EmailShape {
  /** RFC 5321's limit on a forward path; the forms cap their address fields at it too. */
  public static final int MAX_LENGTH = 254;

  private EmailShape() {}

  /**
   * Whether a typed address, stripped of surrounding space, could be a member's: no longer than
   * {@link #MAX_LENGTH}, and an address by {@link #isEmailAddress}.
   */
  public static boolean fits(String email) {
    return !tooLong(email) && isEmailAddress(email);
  }

  /**
   * Whether a typed value is longer than any address, or any username, the service knows: such a
   * value is not even shown back in the form.
   */
  public static boolean tooLong(String value) {
    return value.length() > MAX_LENGTH;
  }

  /**
   * A single bare address as RFC 822 parses it (Jakarta Mail's strict parser), that mail can be
   * sent to: no display name or group, and a domain with a dot. The import holds every address it
   * imports to it, so a typed address that fails it matches no imported membership: it is a typo (a
   * missing domain, a domain without its ending), and is refused at the form rather than answered
   * with a mail that cannot go anywhere.
   */
  public static boolean isEmailAddress(String text) {
    return isPlainAddress(text) || isSingleBareAddress(text);
  }

  /**
   * Whether the text is an address of the plainest kind, which {@link #isSingleBareAddress} always
   * accepts: ASCII letters, digits, '-', and in the local part '_' and '+', with dots between them,
   * before one '@'; at least one dot in the domain; no dot first, last, next to another or to the
   * '@'. None of these characters is special to Jakarta Mail's parser, so it reads the text as one
   * address equal to the text with no display name, and its strict checks (local part and domain
   * characters, dots) all pass. Checked here without the parser, which was a third of the time of
   * validating a row; anything else, valid or not, still goes through the parser, so every answer
   * is the parser's.
   */
  public static boolean isPlainAddress(String text) {
    int at = -1;
    char previous = '.'; // a dot or '@' cannot come first
    boolean domainDot = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '.' || c == '@') {
        if (previous == '.' || previous == '@' || c == '@' && at >= 0) {
          return false;
        }
        if (c == '@') {
          at = i;
        } else if (at >= 0) {
          domainDot = true;
        }
      } else if (!(c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || c == '-'
          || at < 0 && (c == '_' || c == '+'))) {
        return false;
      }
      previous = c;
    }
    return at > 0 && domainDot && previous != '.' && previous != '@';
  }

  /** The full check of {@link #isEmailAddress}, with Jakarta Mail's parser. */
  public static boolean isSingleBareAddress(String text) {
    InternetAddress address;
    try {
      address = new InternetAddress(text, true);
    } catch (AddressException e) {
      return false;
    }
    String bare = address.getAddress();
    int at = text.lastIndexOf('@');
    String domain = at < 0 ? "" : text.substring(at + 1);
    return address.getPersonal() == null
        && text.equals(bare)
        && at > 0
        && domain.indexOf('.') > 0
        && !domain.endsWith(".")
        && !domain.startsWith("[");
  }
}
