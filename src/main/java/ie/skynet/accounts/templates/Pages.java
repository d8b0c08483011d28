package ie.skynet.accounts.templates;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;

/** Renders the HTML pages; every value is escaped for where it lands (jte's Html content type). */
public final class Pages {
  private final TemplateEngine engine = precompiled(ContentType.Html, "pages");

  /** The templates jte compiled at build time into this package's {@code subpackage}. */
  static TemplateEngine precompiled(ContentType type, String subpackage) {
    return TemplateEngine.createPrecompiled(
        null, type, Pages.class.getClassLoader(), Pages.class.getPackageName() + "." + subpackage);
  }

  /** Renders the page's template with the page itself as the template's one parameter. */
  public String render(Page page) {
    StringOutput out = new StringOutput();
    engine.render(page.template(), page, out);
    return out.toString();
  }
}
