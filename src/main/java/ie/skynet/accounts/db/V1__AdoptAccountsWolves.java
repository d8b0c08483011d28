package ie.skynet.accounts.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.jspecify.annotations.Nullable;

/**
 * Creates {@code accounts_wolves}, or adopts the one a previous backend left behind.
 *
 * <p>The previous backend went through two schemas: an interim one keyed by {@code (id_wolves,
 * id_member)} — the composite key that made every insert fail at the signup event — and a final one
 * keyed by {@code id_wolves}. Any table that is not exactly this service's schema is rebuilt into
 * it. No row is dropped: a row that cannot be kept (no id, no email or expiry, or an id that
 * another row already holds) is moved to {@code accounts_wolves_adoption_conflicts} with the
 * reason, and reported.
 */
final class V1__AdoptAccountsWolves extends BaseJavaMigration {
  static final String CREATE_TABLE =
      """
      CREATE TABLE accounts_wolves (
        id_wolves TEXT PRIMARY KEY,
        id_student TEXT,
        email TEXT NOT NULL,
        expiry TEXT NOT NULL,
        name_first TEXT,
        name_second TEXT
      )""";

  private static final String CREATE_CONFLICTS =
      """
      CREATE TABLE accounts_wolves_adoption_conflicts (
        id INTEGER PRIMARY KEY,
        adopted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        id_wolves TEXT,
        id_member TEXT,
        id_student TEXT,
        email TEXT,
        expiry TEXT,
        name_first TEXT,
        name_second TEXT,
        reason TEXT NOT NULL
      )""";

  /** Our schema as {@code PRAGMA table_info} reports it: name, declared type, not null, pk. */
  private static final List<String> EXPECTED_COLUMNS =
      List.of(
          "id_wolves TEXT 0 1",
          "id_student TEXT 0 0",
          "email TEXT 1 0",
          "expiry TEXT 1 0",
          "name_first TEXT 0 0",
          "name_second TEXT 0 0");

  private final Consumer<String> notes;

  V1__AdoptAccountsWolves(Consumer<String> notes) {
    this.notes = notes;
  }

  @Override
  public void migrate(Context context) throws SQLException {
    Connection connection = context.getConnection();
    try (Statement statement = connection.createStatement()) {
      List<String> columns = columns(connection);
      if (columns.isEmpty()) {
        statement.execute(CREATE_TABLE);
      } else if (!columns.equals(EXPECTED_COLUMNS)) {
        // Read the rows, then drop and recreate the table under its own name. Renaming tables
        // instead would make SQLite rewrite other tables' foreign keys to follow the rename; this
        // way they keep pointing at accounts_wolves, and their checks wait for the new rows.
        boolean interim = columns.stream().anyMatch(c -> c.startsWith("id_member "));
        List<LegacyRow> rows = readLegacy(connection, interim);
        statement.execute("PRAGMA defer_foreign_keys = ON");
        statement.execute("DROP TABLE accounts_wolves");
        statement.execute(CREATE_TABLE);
        statement.execute(CREATE_CONFLICTS);
        adopt(connection, rows, interim);
        checkForeignKeys(connection);
        return;
      }
      statement.execute(CREATE_CONFLICTS);
    }
  }

  private static List<String> columns(Connection connection) throws SQLException {
    List<String> columns = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("PRAGMA table_info(accounts_wolves)")) {
      while (rs.next()) {
        columns.add(
            rs.getString("name")
                + " "
                + rs.getString("type").toUpperCase(java.util.Locale.ROOT)
                + " "
                + rs.getInt("notnull")
                + " "
                + rs.getInt("pk"));
      }
    }
    return columns;
  }

  /** One row of the legacy table, with the id it will be kept under. */
  private record LegacyRow(
      long rowid,
      @Nullable String idWolves,
      @Nullable String idMember,
      @Nullable String idStudent,
      @Nullable String email,
      @Nullable String expiry,
      @Nullable String nameFirst,
      @Nullable String nameSecond) {

    @Nullable String adoptedId() {
      String id = blankToNull(idWolves);
      return id != null ? id : blankToNull(idMember);
    }

    boolean hasOwnWolvesId() {
      return blankToNull(idWolves) != null;
    }
  }

  private static List<LegacyRow> readLegacy(Connection connection, boolean interim)
      throws SQLException {
    List<LegacyRow> rows = new ArrayList<>();
    String select =
        "SELECT rowid, CAST(id_wolves AS TEXT), "
            + (interim ? "CAST(id_member AS TEXT)" : "NULL")
            + ", CAST(id_student AS TEXT), email, CAST(expiry AS TEXT), name_first, name_second"
            + " FROM accounts_wolves";
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(select)) {
      while (rs.next()) {
        rows.add(
            new LegacyRow(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                rs.getString(8)));
      }
    }
    return rows;
  }

  /**
   * Other legacy tables may point at a row that could not be kept; say which, rather than let the
   * commit fail with SQLite's bare "foreign key constraint failed".
   */
  private static void checkForeignKeys(Connection connection) throws SQLException {
    List<String> broken = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("PRAGMA foreign_key_check")) {
      while (rs.next()) {
        broken.add(rs.getString("table") + " row " + rs.getLong("rowid"));
      }
    }
    if (!broken.isEmpty()) {
      throw new SQLException(
          "adopting accounts_wolves would leave rows pointing at members that were set aside in"
              + " accounts_wolves_adoption_conflicts: "
              + String.join(", ", broken)
              + "; fix or remove those rows (or the legacy member rows), then migrate again");
    }
  }

  private void adopt(Connection connection, List<LegacyRow> rows, boolean interim)
      throws SQLException {
    // When two rows claim one id, keep the one that carried its own Wolves id, then the one with
    // the latest expiry (the current membership), then the older row.
    rows.sort(
        Comparator.comparing((LegacyRow r) -> !r.hasOwnWolvesId())
            .thenComparing(r -> r.expiry() == null ? "" : r.expiry(), Comparator.reverseOrder())
            .thenComparingLong(LegacyRow::rowid));

    Map<String, LegacyRow> kept = new LinkedHashMap<>();
    Map<LegacyRow, String> conflicts = new LinkedHashMap<>();
    Set<String> seen = new HashSet<>();
    for (LegacyRow row : rows) {
      String id = row.adoptedId();
      if (id == null) {
        conflicts.put(row, "no id_wolves" + (interim ? " and no id_member" : ""));
      } else if (blankToNull(row.email()) == null) {
        conflicts.put(row, "no email");
      } else if (blankToNull(row.expiry()) == null) {
        conflicts.put(row, "no expiry");
      } else if (!isIsoDate(row.expiry())) {
        // Membership checks compare ISO dates as text; any other form would be silently wrong.
        conflicts.put(row, "expiry '" + row.expiry() + "' is not a date in the form 2027-08-31");
      } else if (!seen.add(id)) {
        LegacyRow winner = kept.get(id);
        conflicts.put(
            row,
            "id_wolves '"
                + id
                + "' is also held by legacy row "
                + (winner == null ? "?" : winner.rowid())
                + ", which was kept");
      } else {
        kept.put(id, row);
      }
    }

    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO accounts_wolves (id_wolves, id_student, email, expiry, name_first,"
                + " name_second) VALUES (?, ?, ?, ?, ?, ?)")) {
      for (Map.Entry<String, LegacyRow> entry : kept.entrySet()) {
        LegacyRow row = entry.getValue();
        insert.setString(1, entry.getKey());
        insert.setString(2, row.idStudent());
        insert.setString(3, row.email() == null ? null : row.email().strip());
        insert.setString(4, String.valueOf(row.expiry()).strip());
        insert.setString(5, row.nameFirst());
        insert.setString(6, row.nameSecond());
        insert.addBatch();
      }
      insert.executeBatch();
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO accounts_wolves_adoption_conflicts (id_wolves, id_member, id_student,"
                + " email, expiry, name_first, name_second, reason) VALUES (?, ?, ?, ?, ?, ?, ?,"
                + " ?)")) {
      for (Map.Entry<LegacyRow, String> entry : conflicts.entrySet()) {
        LegacyRow row = entry.getKey();
        insert.setString(1, row.idWolves());
        insert.setString(2, row.idMember());
        insert.setString(3, row.idStudent());
        insert.setString(4, row.email());
        insert.setString(5, row.expiry());
        insert.setString(6, row.nameFirst());
        insert.setString(7, row.nameSecond());
        insert.setString(8, entry.getValue());
        insert.addBatch();
      }
      insert.executeBatch();
    }

    String schema = interim ? "interim (id_wolves, id_member) schema" : "previous backend's schema";
    notes.accept(
        "adopted accounts_wolves from the "
            + schema
            + ": "
            + kept.size()
            + " of "
            + rows.size()
            + " rows kept"
            + (conflicts.isEmpty()
                ? ""
                : "; "
                    + conflicts.size()
                    + " set aside in accounts_wolves_adoption_conflicts for review"));
    conflicts.forEach(
        (row, reason) ->
            notes.accept(
                "legacy row "
                    + row.rowid()
                    + " (id_wolves '"
                    + row.idWolves()
                    + "'"
                    + (interim ? ", id_member '" + row.idMember() + "'" : "")
                    + ", email '"
                    + row.email()
                    + "') set aside: "
                    + reason));
  }

  private static boolean isIsoDate(@Nullable String text) {
    try {
      LocalDate.parse(String.valueOf(text).strip());
      return true;
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }

  /** Legacy rows adoption could not keep, waiting in their own table for an operator. */
  static long rowsSetAside(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery("SELECT count(*) FROM accounts_wolves_adoption_conflicts")) {
      return rs.next() ? rs.getLong(1) : 0;
    }
  }
}
