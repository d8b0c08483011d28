package ie.skynet.accounts.templates;

/**
 * The model of one HTML page: a record holding exactly what its template shows, which the template
 * takes as its single {@code @param}, so that jte's compiled template checks every use of it.
 */
public interface Page {
  /** The template's path under src/main/jte/pages, such as {@code signup/sent.jte}. */
  String template();
}
