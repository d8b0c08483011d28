package ie.skynet.accounts.outbox;

/**
 * Sending a mail failed. Transient failures (DNS, refused or timed-out connections, 4xx replies)
 * are retried; permanent ones (5xx replies) are not.
 */
public final class MailException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean transientFailure;

  public MailException(String message, boolean transientFailure, Throwable cause) {
    super(message, cause);
    this.transientFailure = transientFailure;
  }

  public boolean isTransient() {
    return transientFailure;
  }
}
