package ie.skynet.accounts.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Plain JDBC without its ceremony: one statement on the caller's connection, its parameters bound
 * in order, closed when done. The table owners write their SQL with it, so that each statement
 * reads as the statement and its values, and nothing is left open.
 */
public final class Sql {
  private Sql() {}

  /** Reads one row of a result into a value. */
  @FunctionalInterface
  public interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /**
   * Runs an INSERT, UPDATE or DELETE.
   *
   * @return how many rows it changed
   */
  public static int update(Connection c, String sql, @Nullable Object... values)
      throws SQLException {
    try (PreparedStatement statement = prepared(c, sql, values)) {
      return statement.executeUpdate();
    }
  }

  /** The first row the query finds, if any. */
  public static <T> Optional<T> first(
      Connection c, String sql, Row<T> row, @Nullable Object... values) throws SQLException {
    try (PreparedStatement statement = prepared(c, sql, values);
        ResultSet rs = statement.executeQuery()) {
      return rs.next() ? Optional.of(row.read(rs)) : Optional.empty();
    }
  }

  /** Every row the query finds, in its order. */
  public static <T> List<T> list(Connection c, String sql, Row<T> row, @Nullable Object... values)
      throws SQLException {
    List<T> rows = new ArrayList<>();
    try (PreparedStatement statement = prepared(c, sql, values);
        ResultSet rs = statement.executeQuery()) {
      while (rs.next()) {
        rows.add(row.read(rs));
      }
    }
    return rows;
  }

  /** The number in the first column of the query's one row, such as a count. */
  public static long number(Connection c, String sql, @Nullable Object... values)
      throws SQLException {
    return first(c, sql, rs -> rs.getLong(1), values).orElse(0L);
  }

  private static PreparedStatement prepared(Connection c, String sql, @Nullable Object[] values)
      throws SQLException {
    PreparedStatement statement = c.prepareStatement(sql);
    try {
      for (int i = 0; i < values.length; i++) {
        Object value = values[i];
        if (value == null) {
          statement.setNull(i + 1, Types.NULL);
        } else if (value instanceof Boolean b) {
          statement.setBoolean(i + 1, b);
        } else {
          statement.setObject(i + 1, value);
        }
      }
      return statement;
    } catch (SQLException | RuntimeException e) {
      statement.close();
      throw e;
    }
  }
}
