package ie.skynet.accounts.templates;

/**
 * The model of one mail: a record holding exactly what its two templates show, which both take as
 * their single {@code @param}, so that jte's compiled templates check every use of it.
 */
public interface Mail {
  /**
   * The templates' path, the same under src/main/jte/mail-text and mail-html, such as {@code
   * signup/verify.jte}.
   */
  String template();

  /**
   * What kind of mail this is, such as {@code signup-verify}: the outbox keeps it (its {@code
   * template} column) after the body is gone, and counts mails by it.
   */
  String kind();

  String subject();
}
