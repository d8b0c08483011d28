package ie.skynet.accounts.templates;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import java.util.Map;

/** Renders the HTML pages; every value is escaped for where it lands (jte's Html content type). */
public final class Pages {
  private final TemplateEngine engine =
      TemplateEngine.createPrecompiled(
          null,
          ContentType.Html,
          Pages.class.getClassLoader(),
          Pages.class.getPackageName() + ".pages");

  /**
   * @param template a path under src/main/jte/pages, such as {@code signup/sent.jte}
   */
  public String render(String template, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    engine.render(template, params, out);
    return out.toString();
  }
}
