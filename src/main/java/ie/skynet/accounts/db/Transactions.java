package ie.skynet.accounts.db;

import java.sql.Connection;
import java.sql.SQLException;

/** Runs work in one transaction on a connection: committed if it returns, rolled back if not. */
public final class Transactions {
  private Transactions() {}

  /** Work on a connection that may fail with the driver's exception. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Commits by switching auto-commit back on rather than with {@code commit()}: the SQLite driver
   * opens the next (write-locking) transaction straight after a {@code commit()}, and that can fail
   * when the database is busy, after the data is already committed.
   */
  public static <T> T inTransaction(Connection connection, Work<T> work) throws SQLException {
    connection.setAutoCommit(false);
    T result;
    try {
      result = work.run(connection);
    } catch (SQLException | RuntimeException | Error e) {
      try {
        connection.rollback();
        connection.setAutoCommit(true);
      } catch (SQLException rollback) {
        e.addSuppressed(rollback);
      }
      throw e;
    }
    connection.setAutoCommit(true); // commits; if that fails, nothing was committed
    return result;
  }

  /** Work that returns nothing. */
  @FunctionalInterface
  public interface Step {
    void run(Connection connection) throws SQLException;
  }

  /** As {@link #inTransaction(Connection, Work)}, for work that returns nothing. */
  public static void runInTransaction(Connection connection, Step step) throws SQLException {
    inTransaction(
        connection,
        c -> {
          step.run(c);
          return Boolean.TRUE;
        });
  }
}
