package ie.skynet.accounts.membership;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;

/**
 * Writes validated members into {@code accounts_wolves} inside the caller's transaction, and counts
 * what changed: an upsert that finds the row already equal changes nothing, so the driver's update
 * counts tell written rows from unchanged ones, and the table's size tells inserts from updates.
 */
final class MemberStore implements AutoCloseable {
  private static final int BATCH = 1000;

  private static final String UPSERT =
      """
      INSERT INTO accounts_wolves (id_wolves, id_student, email, expiry, name_first, name_second)
      VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (id_wolves) DO UPDATE SET
        id_student = excluded.id_student, email = excluded.email, expiry = excluded.expiry,
        name_first = excluded.name_first, name_second = excluded.name_second
      WHERE id_student IS NOT excluded.id_student OR email IS NOT excluded.email
        OR expiry IS NOT excluded.expiry OR name_first IS NOT excluded.name_first
        OR name_second IS NOT excluded.name_second""";

  /** What the import did to the table. */
  record Changes(long inserted, long updated, long unchanged, long currentBefore, long lapsed) {}

  private final Connection connection;
  private final PreparedStatement upsert;
  private final long rowsBefore;
  private final long currentBefore;
  private int batched;
  private long added;
  private long written;

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
    }
    this.upsert = connection.prepareStatement(UPSERT);
  }

  void add(Member member) throws SQLException {
    upsert.setString(1, member.idWolves());
    upsert.setString(2, member.idStudent());
    upsert.setString(3, member.email());
    upsert.setString(4, member.expiry().toString());
    upsert.setString(5, member.nameFirst());
    upsert.setString(6, member.nameSecond());
    upsert.addBatch();
    added++;
    if (++batched == BATCH) {
      flush();
    }
  }

  private void flush() throws SQLException {
    for (int count : upsert.executeBatch()) {
      written += count;
    }
    batched = 0;
  }

  Changes finish() throws SQLException {
    flush();
    long inserted = count("SELECT count(*) FROM accounts_wolves", null) - rowsBefore;
    long lapsed = count("SELECT n FROM import_lapses", null);
    return new Changes(inserted, written - inserted, added - written, currentBefore, lapsed);
  }

  private long count(String sql, @org.jspecify.annotations.Nullable LocalDate day)
      throws SQLException {
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
    upsert.close();
  }
}
