package ie.skynet.accounts.membership;

/**
 * The Wolves API could not give the whole list of members: its message says what was expected, what
 * came instead and where (the page, and the line and column of the answer for bad JSON).
 */
public final class WolvesApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** What went wrong, for callers that answer each differently (doctor's advice). */
  public enum Kind {
    /** 401 or 403: the key is wrong, revoked, or sent in the wrong header. */
    KEY_REFUSED,
    /** No usable answer after every retry: the network, or the server failing (5xx). */
    UNAVAILABLE,
    /** An answer that is not the list expected: another status, bad JSON, success not 1. */
    BAD_ANSWER
  }

  private final Kind kind;

  WolvesApiException(Kind kind, String message) {
    super(message);
    this.kind = kind;
  }

  WolvesApiException(Kind kind, String message, Throwable cause) {
    super(message, cause);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }
}
