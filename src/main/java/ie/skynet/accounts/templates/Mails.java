package ie.skynet.accounts.templates;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import ie.skynet.accounts.outbox.OutgoingMail;

/**
 * Renders mails from their two templates, src/main/jte/mail-text and mail-html (same path in each):
 * plain text as written, and HTML with every value escaped. One is shared by every feature that
 * mails: each loads two template engines.
 */
public final class Mails {
  private final TemplateEngine html =
      TemplateEngine.createPrecompiled(
          null,
          ContentType.Html,
          Mails.class.getClassLoader(),
          "ie.skynet.accounts.templates.mailhtml");
  private final TemplateEngine text =
      TemplateEngine.createPrecompiled(
          null,
          ContentType.Plain,
          Mails.class.getClassLoader(),
          "ie.skynet.accounts.templates.mailtext");

  /** Renders both templates of the mail with the mail itself as their one parameter. */
  public OutgoingMail render(String to, Mail mail) {
    StringOutput plain = new StringOutput();
    text.render(mail.template(), mail, plain);
    StringOutput escaped = new StringOutput();
    html.render(mail.template(), mail, escaped);
    return new OutgoingMail(to, mail.kind(), mail.subject(), plain.toString(), escaped.toString());
  }
}
