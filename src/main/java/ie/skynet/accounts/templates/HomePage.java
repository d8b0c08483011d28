package ie.skynet.accounts.templates;

/** The start page; the same for everyone, so it holds nothing. */
public record HomePage() implements Page {
  @Override
  public String template() {
    return "home.jte";
  }
}
