package ie.skynet.accounts.membership;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Writes validated members into {@code accounts_wolves} inside the caller's transaction, and counts
 * what changed: an upsert that finds the row already equal changes nothing, so the driver's update
 * counts tell written rows from unchanged ones, and the table's size tells inserts from updates.
 */
final class MemberStore implements AutoCloseable {
  /** Rows per INSERT statement: one statement per row spends most of its time crossing JNI. */
  private static final int ROWS_PER_STATEMENT = 64;

  /** As created by migration V2; dropped and rebuilt around a load into an empty table. */
  private static final String EMAIL_INDEX =
      "CREATE INDEX accounts_wolves_email ON accounts_wolves (lower(email))";

  private static final String UPSERT_CONFLICT =
      """
       ON CONFLICT (id_wolves) DO UPDATE SET
        id_student = excluded.id_student, email = excluded.email, expiry = excluded.expiry,
        name_first = excluded.name_first, name_second = excluded.name_second
      WHERE id_student IS NOT excluded.id_student OR email IS NOT excluded.email
        OR expiry IS NOT excluded.expiry OR name_first IS NOT excluded.name_first
        OR name_second IS NOT excluded.name_second""";

  /** What the import did to the table. */
  record Changes(long inserted, long updated, long unchanged, long currentBefore, long lapsed) {}

  private final Connection connection;
  private final PreparedStatement upsertOne;
  private final PreparedStatement upsertMany;
  private final long rowsBefore;
  private final long currentBefore;
  private final boolean rebuildIndex;
  private long added;
  private long written;
  // Exports repeat a handful of expiry dates: each is formatted once, not once a row.
  private final Map<LocalDate, String> dayText = new HashMap<>();

  /**
   * @param today members whose expiry is on or after this day are current; an import that moves a
   *     current member's expiry before it counts as a lapse, for the expiry guard
   */
  MemberStore(Connection connection, LocalDate today) throws SQLException {
    this.connection = connection;
    this.rowsBefore = count("SELECT count(*) FROM accounts_wolves", null);
    this.currentBefore = count("SELECT count(*) FROM accounts_wolves WHERE expiry >= ?", today);
    try (Statement statement = connection.createStatement()) {
      // A temporary trigger sees the old and new expiry of each updated row, which the upsert
      // itself cannot report. It and its counter vanish with the connection.
      statement.execute("CREATE TEMP TABLE IF NOT EXISTS import_lapses (n INTEGER NOT NULL)");
      statement.execute("DELETE FROM import_lapses");
      statement.execute("INSERT INTO import_lapses (n) VALUES (0)");
      String day = "'" + today + "'"; // LocalDate.toString() is always yyyy-MM-dd
      statement.execute("DROP TRIGGER IF EXISTS temp.import_lapse");
      statement.execute(
          "CREATE TEMP TRIGGER import_lapse AFTER UPDATE OF expiry ON accounts_wolves"
              + " WHEN old.expiry >= "
              + day
              + " AND new.expiry < "
              + day
              + " BEGIN UPDATE import_lapses SET n = n + 1; END");
      // Building an index once over a loaded table is several times faster than growing it row by
      // row; inside the transaction, a rollback restores it.
      this.rebuildIndex = rowsBefore == 0;
      if (rebuildIndex) {
        statement.execute("DROP INDEX IF EXISTS accounts_wolves_email");
      }
    }
    this.upsertOne = connection.prepareStatement(upsert(1));
    this.upsertMany = connection.prepareStatement(upsert(ROWS_PER_STATEMENT));
  }

  private static String upsert(int rows) {
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO accounts_wolves (id_wolves, id_student, email, expiry, name_first,"
                + " name_second) VALUES ");
    for (int i = 0; i < rows; i++) {
      sql.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?)");
    }
    return sql.append(UPSERT_CONFLICT).toString();
  }

  /** Upserts the members; the batch must not repeat an ID (the importer rejects duplicates). */
  void addAll(List<Member> members) throws SQLException {
    int i = 0;
    for (; i + ROWS_PER_STATEMENT <= members.size(); i += ROWS_PER_STATEMENT) {
      for (int row = 0; row < ROWS_PER_STATEMENT; row++) {
        bind(upsertMany, row * 6, members.get(i + row));
      }
      written += upsertMany.executeUpdate();
    }
    for (; i < members.size(); i++) {
      bind(upsertOne, 0, members.get(i));
      written += upsertOne.executeUpdate();
    }
    added += members.size();
  }

  private void bind(PreparedStatement statement, int offset, Member member) throws SQLException {
    statement.setString(offset + 1, member.idWolves());
    statement.setString(offset + 2, member.idStudent());
    statement.setString(offset + 3, member.email());
    statement.setString(offset + 4, text(member.expiry()));
    statement.setString(offset + 5, member.nameFirst());
    statement.setString(offset + 6, member.nameSecond());
  }

  private String text(LocalDate day) {
    String text = dayText.get(day);
    if (text == null) {
      text = day.toString();
      if (dayText.size() < 4096) {
        dayText.put(day, text);
      }
    }
    return text;
  }

  Changes finish() throws SQLException {
    if (rebuildIndex) {
      try (Statement statement = connection.createStatement()) {
        statement.execute(EMAIL_INDEX);
      }
    }
    long inserted = count("SELECT count(*) FROM accounts_wolves", null) - rowsBefore;
    long lapsed = count("SELECT n FROM import_lapses", null);
    return new Changes(inserted, written - inserted, added - written, currentBefore, lapsed);
  }

  private long count(String sql, @Nullable LocalDate day) throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      if (day != null) {
        query.setString(1, day.toString());
      }
      try (ResultSet rs = query.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Override
  public void close() throws SQLException {
    upsertOne.close();
    upsertMany.close();
  }
}
