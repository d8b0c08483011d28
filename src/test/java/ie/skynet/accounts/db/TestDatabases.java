package ie.skynet.accounts.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Real SQLite files for tests, and ways to look inside them. */
public final class TestDatabases {
  private TestDatabases() {}

  public static DatabaseSettings in(Path dir) {
    return new DatabaseSettings("jdbc:sqlite:" + dir.resolve("accounts.db"));
  }

  /** A migrated database in the directory. */
  public static Database migrated(Path dir) {
    Database database = new Database(in(dir));
    database.migrate();
    return database;
  }

  /** Every row of a query, each as "a|b|c", for whole-table comparisons. */
  public static List<String> rows(Database database, String sql) {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      ResultSetMetaData meta = rs.getMetaData();
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.append(i == 1 ? "" : "|").append(rs.getString(i));
        }
        rows.add(row.toString());
      }
      return rows;
    } catch (SQLException e) {
      throw new AssertionError(sql, e);
    }
  }

  public static List<String> members(Database database) {
    return rows(database, "SELECT * FROM accounts_wolves ORDER BY id_wolves");
  }

  public static void execute(Database database, String... statements) {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
