package ie.skynet.accounts.asks;

import java.util.Locale;

/**
 * A request waiting to be answered by mail.
 *
 * @param value what was asked with: an email address, or (for a password) a username or address
 */
public record Ask(long id, Kind kind, String value) {
  /** What was asked for; the queue's table allows exactly these. */
  public enum Kind {
    /** A signup link, for an email address. */
    SIGNUP,
    /** The usernames of the accounts using an address. */
    USERNAME,
    /** A password reset link, by username or address. */
    PASSWORD;

    String code() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Kind of(String code) {
      return valueOf(code.toUpperCase(Locale.ROOT));
    }
  }
}
