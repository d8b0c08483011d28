package ie.skynet.accounts.templates;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import ie.skynet.accounts.http.BaseUrl;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.outbox.OutgoingMail;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Renders mails from their two templates, src/main/jte/mail-text and mail-html (same path in each):
 * plain text as written, and HTML with every value escaped; and queues them in the outbox. One is
 * shared by every feature that mails: each loads two template engines.
 */
public final class Mails {
  private final TemplateEngine html = Pages.precompiled(ContentType.Html, "mailhtml");
  private final TemplateEngine text = Pages.precompiled(ContentType.Plain, "mailtext");
  // The zone's short name says which clock is meant: GMT in winter, IST in summer for Dublin.
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("EEEE d MMMM yyyy 'at' HH:mm zzz", Locale.UK);
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("EEEE d MMMM yyyy", Locale.UK);

  private final BaseUrl base;
  private final Outbox outbox;
  private final ZoneId zone;

  /**
   * @param base where members reach the service: every link in a mail starts here
   * @param outbox where mails wait to be sent
   * @param zone the society's time zone, in which mails write times
   */
  public Mails(BaseUrl base, Outbox outbox, ZoneId zone) {
    this.base = base;
    this.outbox = outbox;
    this.zone = zone;
  }

  /** Renders both templates of the mail with the mail itself as their one parameter. */
  public OutgoingMail render(String to, Mail mail) {
    StringOutput plain = new StringOutput();
    text.render(mail.template(), mail, plain);
    StringOutput escaped = new StringOutput();
    html.render(mail.template(), mail, escaped);
    return new OutgoingMail(
        to, mail.kind(), mail.subject(), tidy(plain.toString()), escaped.toString());
  }

  /**
   * The plain text as a person reads it: paragraphs one blank line apart, never more, and no spaces
   * at a line's end. A template's {@code @if} and {@code @for} lines leave line breaks of their
   * own, which would otherwise show as stray blank lines wherever a part is left out.
   */
  static String tidy(String text) {
    return BLANK_LINES
            .matcher(TRAILING_SPACE.matcher(text).replaceAll("\n"))
            .replaceAll("\n\n")
            .strip()
        + "\n";
  }

  private static final Pattern TRAILING_SPACE = Pattern.compile("[ \\t]+\n");
  private static final Pattern BLANK_LINES = Pattern.compile("\n{3,}");

  /** Queues the mail in the caller's transaction: it is sent only if that transaction commits. */
  public void queue(Connection connection, String to, Mail mail) throws SQLException {
    outbox.enqueue(connection, render(to, mail));
  }

  /**
   * As {@link #queue}, to an account's own address, which may be missing or one no mail can go to
   * (an entry edited by hand): then nothing is queued, and the caller's audit entry is the record.
   */
  public void queueIfDeliverable(Connection connection, @Nullable String to, Mail mail)
      throws SQLException {
    if (to != null && OutgoingMail.canGoTo(to)) {
      queue(connection, to, mail);
    }
  }

  /** A moment as mails write it: in the society's time zone, for a person to read. */
  public MailTime time(Instant instant) {
    return new MailTime(TIME.format(instant.atZone(zone)));
  }

  /** A day, such as a membership's expiry, as mails write it. */
  public MailTime day(LocalDate day) {
    return new MailTime(DAY.format(day));
  }

  /** The link a mail gives to a path of the service, such as {@code /signup/<token>}. */
  public String link(String path) {
    return base.link(path);
  }
}
