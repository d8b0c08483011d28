package ie.skynet.accounts.dev;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One mail the catcher received, as the dev mailbox shows it.
 *
 * @param text the plain-text part, cut into runs of text and links so the page can link them
 * @param html the HTML part as sent; null if the mail has none
 */
public record DevMail(
    String to, String subject, Instant received, List<Run> text, @Nullable String html) {
  /** A run of the text: a link, or the words between links. */
  public record Run(String text, boolean link) {}

  public List<String> links() {
    return text.stream().filter(Run::link).map(Run::text).toList();
  }

  /**
   * The HTML part as the mailbox's sandboxed frame shows it: links open in a new tab, as a webmail
   * client opens them, since the sandbox lets the frame open tabs but never navigate itself or the
   * page. Empty when there is no HTML part.
   */
  public String framedHtml() {
    if (html == null) {
      return "";
    }
    String base = "<base target=\"_blank\">";
    int head = html.indexOf("<head>");
    return head < 0
        ? base + html
        : html.substring(0, head + "<head>".length())
            + base
            + html.substring(head + "<head>".length());
  }

  public String plainText() {
    StringBuilder all = new StringBuilder();
    text.forEach(run -> all.append(run.text()));
    return all.toString();
  }
}
