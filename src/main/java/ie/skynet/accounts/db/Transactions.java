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
    return inTransaction(connection, work, result -> true);
  }

  /**
   * As {@link #inTransaction(Connection, Work)}, but the result decides: committed if {@code keep}
   * holds for it, rolled back (and still returned) if not. For work whose outcome may be "nothing
   * to keep", such as an import that found rejects, or a dry run.
   */
  public static <T> T inTransaction(
      Connection connection, Work<T> work, java.util.function.Predicate<? super T> keep)
      throws SQLException {
    connection.setAutoCommit(false);
    T result;
    try {
      result = work.run(connection);
      if (!keep.test(result)) {
        connection.rollback();
      }
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

  /** One item's part of a batch. */
  @FunctionalInterface
  public interface ItemStep<T> {
    /**
     * @return whether the item counts as done
     */
    boolean run(Connection connection, T item) throws SQLException;
  }

  /** Told of an item whose part failed and was rolled back. */
  @FunctionalInterface
  public interface ItemFailure<T> {
    void failed(T item, Exception cause);
  }

  /**
   * Works through a batch in one transaction (one disk flush), each item within its own savepoint:
   * an item that fails is rolled back and reported, and the others go on.
   *
   * @return how many items counted as done
   */
  public static <T> int eachInItsOwnSavepoint(
      Connection connection, Iterable<T> items, ItemStep<T> step, ItemFailure<T> onFailure)
      throws SQLException {
    return inTransaction(
        connection,
        c -> {
          int done = 0;
          for (T item : items) {
            java.sql.Savepoint before = c.setSavepoint();
            try {
              if (step.run(c, item)) {
                done++;
              }
              c.releaseSavepoint(before);
            } catch (SQLException | RuntimeException e) {
              c.rollback(before);
              c.releaseSavepoint(before);
              onFailure.failed(item, e);
            }
          }
          return done;
        });
  }
}
