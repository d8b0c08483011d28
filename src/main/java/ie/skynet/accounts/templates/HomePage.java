package ie.skynet.accounts.templates;

/**
 * The start page; the same for everyone.
 *
 * @param joinUrl where someone who is not a member yet joins: the society's page on Wolves
 */
public record HomePage(String joinUrl) implements Page {
  @Override
  public String template() {
    return "home.jte";
  }
}
