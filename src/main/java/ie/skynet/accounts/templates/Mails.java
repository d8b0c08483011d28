package ie.skynet.accounts.templates;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import ie.skynet.accounts.http.BaseUrl;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.outbox.OutgoingMail;
import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * Renders mails from their two templates, src/main/jte/mail-text and mail-html (same path in each):
 * plain text as written, and HTML with every value escaped; and queues them in the outbox. One is
 * shared by every feature that mails: each loads two template engines.
 */
public final class Mails {
  private final TemplateEngine html = Pages.precompiled(ContentType.Html, "mailhtml");
  private final TemplateEngine text = Pages.precompiled(ContentType.Plain, "mailtext");
  private final BaseUrl base;
  private final Outbox outbox;

  /**
   * @param base where members reach the service: every link in a mail starts here
   * @param outbox where mails wait to be sent
   */
  public Mails(BaseUrl base, Outbox outbox) {
    this.base = base;
    this.outbox = outbox;
  }

  /** Renders both templates of the mail with the mail itself as their one parameter. */
  public OutgoingMail render(String to, Mail mail) {
    StringOutput plain = new StringOutput();
    text.render(mail.template(), mail, plain);
    StringOutput escaped = new StringOutput();
    html.render(mail.template(), mail, escaped);
    return new OutgoingMail(to, mail.kind(), mail.subject(), plain.toString(), escaped.toString());
  }

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

  /** The link a mail gives to a path of the service, such as {@code /signup/<token>}. */
  public String link(String path) {
    return base.link(path);
  }
}
