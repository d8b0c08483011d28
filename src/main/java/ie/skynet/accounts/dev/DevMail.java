package ie.skynet.accounts.dev;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One mail the catcher received, as the dev mailbox shows it.
 *
 * @param text the plain-text part, cut into runs of text and links so the page can link them
 * @param html the HTML part as sent; null if the mail has none
 * @param number its place in arrival order, from 0: where {@code /dev/mail/N.html} shows its HTML
 */
public record DevMail(
    String to,
    String subject,
    Instant received,
    List<Run> text,
    @Nullable String html,
    int number) {
  /** A run of the text: a link, or the words between links. */
  public record Run(String text, boolean link) {}

  public List<String> links() {
    return text.stream().filter(Run::link).map(Run::text).toList();
  }

  public String plainText() {
    StringBuilder all = new StringBuilder();
    text.forEach(run -> all.append(run.text()));
    return all.toString();
  }
}
