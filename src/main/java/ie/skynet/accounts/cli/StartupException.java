package ie.skynet.accounts.cli;

/**
 * Something the service needs at start could not be had, for a reason the message says in full (a
 * port in use, a saved file that will not load): printed without a stack trace, exit code 1.
 */
public final class StartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }

  public StartupException(String message) {
    super(message);
  }
}
