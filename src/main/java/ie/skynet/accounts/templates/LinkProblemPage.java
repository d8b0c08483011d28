package ie.skynet.accounts.templates;

import ie.skynet.accounts.links.LinkCheck;

/**
 * The one page for a mailed link that does not work, whatever it was for: what happened to it, and
 * where to ask for another.
 *
 * @param status 404 for a link nobody issued, 410 for one that was and is spent or expired
 */
public record LinkProblemPage(
    int status, String heading, String message, String retryHref, String retryLabel)
    implements Page {

  /**
   * What one kind of link says when it does not work.
   *
   * @param expired why an expired link of this kind is no good, and what to do
   * @param used why a used one is no good, and what to do
   * @param retryHref where to ask for another
   */
  public record Wording(String expired, String used, String retryHref, String retryLabel) {}

  /** The page for a link that is not valid. */
  public static LinkProblemPage of(LinkCheck check, Wording wording) {
    return switch (check) {
      case LinkCheck.Expired expired ->
          new LinkProblemPage(
              410,
              "This link has expired",
              wording.expired(),
              wording.retryHref(),
              wording.retryLabel());
      case LinkCheck.Used used ->
          new LinkProblemPage(
              410,
              "This link has been used",
              wording.used(),
              wording.retryHref(),
              wording.retryLabel());
      case LinkCheck.Unknown unknown ->
          new LinkProblemPage(
              404,
              "This link does not work",
              "We do not know this link. If you copied it from a mail, check that it was copied"
                  + " whole; otherwise ask for a new one.",
              wording.retryHref(),
              wording.retryLabel());
      case LinkCheck.Valid valid ->
          throw new IllegalArgumentException("a valid link is no problem");
    };
  }

  @Override
  public String template() {
    return "link-problem.jte";
  }
}
