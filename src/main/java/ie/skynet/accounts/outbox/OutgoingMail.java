package ie.skynet.accounts.outbox;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import org.jspecify.annotations.Nullable;

/**
 * A mail ready to send.
 *
 * @param template which kind of mail it is, kept for the operators' listing after the body is gone
 * @param html an HTML alternative to the text, or null
 */
public record OutgoingMail(
    String to, String template, String subject, String text, @Nullable String html) {

  public OutgoingMail {
    // A line break in a header value would start a new header: refuse rather than escape.
    for (String header : new String[] {to, subject, template}) {
      if (header.indexOf('\r') >= 0 || header.indexOf('\n') >= 0) {
        throw new IllegalArgumentException("a mail header value contains a line break");
      }
    }
    if (!canGoTo(to)) {
      throw new IllegalArgumentException("not a single bare email address: " + to);
    }
  }

  /**
   * Whether a mail can be addressed to this: one mailbox, with no display name and no group
   * ("g:a@x,b@y;") that would fan a link out.
   */
  public static boolean canGoTo(String to) {
    if (to.indexOf('\r') >= 0 || to.indexOf('\n') >= 0) {
      return false;
    }
    try {
      InternetAddress address = new InternetAddress(to, true);
      return !address.isGroup() && address.getPersonal() == null && to.equals(address.getAddress());
    } catch (AddressException e) {
      return false;
    }
  }
}
