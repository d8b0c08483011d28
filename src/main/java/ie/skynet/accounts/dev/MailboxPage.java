package ie.skynet.accounts.dev;

import ie.skynet.accounts.templates.Page;
import java.util.List;

/**
 * The dev mailbox at {@code /dev/mail}.
 *
 * @param mails every mail caught, newest first
 */
public record MailboxPage(List<DevMail> mails) implements Page {
  public MailboxPage {
    mails = List.copyOf(mails);
  }

  @Override
  public String template() {
    return "dev/mail.jte";
  }
}
