package ie.skynet.accounts.outbox;

import java.util.Locale;

/** Where a mail is in its life. */
public enum MailStatus {
  /** Waiting for its next attempt. */
  PENDING,
  /** Claimed by a worker that is talking to the SMTP server. */
  SENDING,
  /** Accepted by the SMTP server; its body has been cleared. */
  SENT,
  /** Refused for good, or out of attempts: waits for an operator to resend it. */
  FAILED;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  static MailStatus of(String code) {
    return valueOf(code.toUpperCase(Locale.ROOT));
  }
}
