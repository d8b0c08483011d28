package ie.skynet.accounts.templates;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import ie.skynet.accounts.outbox.OutgoingMail;
import java.util.Map;

/**
 * Renders mails from their two templates, src/main/jte/mail-text and mail-html (same path in each):
 * plain text as written, and HTML with every value escaped.
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

  /**
   * @param template the kind of mail, kept in the outbox after the body is gone
   * @param file the templates' path, such as {@code signup/verify.jte}
   */
  public OutgoingMail render(
      String to, String template, String subject, String file, Map<String, Object> params) {
    StringOutput plain = new StringOutput();
    text.render(file, params, plain);
    StringOutput escaped = new StringOutput();
    html.render(file, params, escaped);
    return new OutgoingMail(to, template, subject, plain.toString(), escaped.toString());
  }
}
