package ie.skynet.accounts.db;

/** A database operation failed; carries the driver's exception as its cause when there is one. */
public final class DatabaseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatabaseException(String message, Throwable cause) {
    super(message + ": " + cause.getMessage(), cause);
  }

  /** The database answered, but not with what it should hold. */
  public DatabaseException(String message) {
    super(message);
  }
}
