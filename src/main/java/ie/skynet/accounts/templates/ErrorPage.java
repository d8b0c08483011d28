package ie.skynet.accounts.templates;

/**
 * A page that says what went wrong, for the web server's errors and for links that do not work.
 *
 * @param reference the incident to quote to the sysadmins; empty when there is nothing to look up
 * @param nextHref where to go from here: the start page, unless somewhere more useful is known
 */
public record ErrorPage(
    String heading, String message, String reference, String nextHref, String nextLabel)
    implements Page {
  public ErrorPage(String heading, String message, String reference) {
    this(heading, message, reference, "/", "Back to the start");
  }

  @Override
  public String template() {
    return "error.jte";
  }
}
