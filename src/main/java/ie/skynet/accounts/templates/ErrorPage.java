package ie.skynet.accounts.templates;

/**
 * A page that says what went wrong, for the web server's errors and for links that do not work.
 *
 * @param reference the incident to quote to the sysadmins; empty when there is nothing to look up
 */
public record ErrorPage(String heading, String message, String reference) implements Page {
  @Override
  public String template() {
    return "error.jte";
  }
}
