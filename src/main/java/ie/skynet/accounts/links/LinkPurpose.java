package ie.skynet.accounts.links;

/** What a mailed link is for; a link is only ever accepted for its own purpose. */
public enum LinkPurpose {
  /** Proves a member's Wolves address and lets them choose a username and password. */
  SIGNUP("signup"),
  /** Lets the account's owner choose a new password. */
  PASSWORD_RESET("password-reset"),
  /** Proves a new contact address for an account. */
  EMAIL_CHANGE("email-change");

  private final String code;

  LinkPurpose(String code) {
    this.code = code;
  }

  /** As stored; the table's CHECK allows exactly these. */
  String code() {
    return code;
  }
}
