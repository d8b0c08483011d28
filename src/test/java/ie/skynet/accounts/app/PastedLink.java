package ie.skynet.accounts.app;

import ie.skynet.accounts.dev.DevMailbox;
import java.io.BufferedReader;
import java.io.StringReader;
import org.jspecify.annotations.Nullable;

/**
 * What an operator pastes into {@code preflight}: the link in the mail the rehearsal sent to an
 * address, as the mail catcher holds it (preflight asks only once the mail server took the mail).
 */
final class PastedLink extends BufferedReader {
  private final DevMailbox mailbox;
  private final String to;

  PastedLink(DevMailbox mailbox, String to) {
    super(new StringReader(""));
    this.mailbox = mailbox;
    this.to = to;
  }

  @Override
  public @Nullable String readLine() {
    return mailbox.mails().stream()
        .filter(m -> m.to().equals(to))
        .findFirst()
        .map(m -> m.links().get(0))
        .orElse(null);
  }
}
