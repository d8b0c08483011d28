package ie.skynet.accounts.outbox;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How to reach the mail server.
 *
 * @param username null for a server that takes mail without authentication (e.g. on loopback)
 * @param connections how many connections the outbox sends over at once
 */
public record SmtpSettings(
    String host,
    int port,
    Security security,
    @Nullable String username,
    @Nullable String password,
    String from,
    Duration timeout,
    int connections) {

  /** Transport protection for SMTP. */
  public enum Security {
    /** TLS from the first byte (port 465). */
    SMTPS,
    /** STARTTLS required before anything else is sent (port 587). */
    STARTTLS,
    /** No protection: a mail catcher on loopback, or tests. */
    NONE
  }

  @Override
  public String toString() {
    return "SmtpSettings[" + host + ":" + port + ", " + security + ", user " + username + "]";
  }
}
