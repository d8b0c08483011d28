package ie.skynet.accounts.membership;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The owner of the membership tables: {@code accounts_wolves}, the members as imported, and {@code
 * accounts}, the link from each LDAP account to the membership it was made from. No other class
 * reads or writes them; callers ask for what they need by name. Methods taking a connection work in
 * the caller's transaction, so a link and the mail it causes are written together or not at all.
 */
public final class Memberships {
  /**
   * Memberships made by {@code accounts preflight} for a rehearsal carry this prefix; they are
   * never the answer to a real request, and a later rehearsal removes any an interrupted one left.
   */
  private static final String REHEARSAL_PREFIX = "PREFLIGHT-";

  private static final String REHEARSALS = "'" + REHEARSAL_PREFIX + "%'";

  private final Database database;

  public Memberships(Database database) {
    this.database = database;
  }

  /** The import's writer, in the importer's transaction. */
  static Load load(Connection connection, LocalDate today) throws SQLException {
    return new Load(connection, today);
  }

  /** What an import did to the members table. */
  record Changes(long inserted, long updated, long unchanged, long lapsed) {}

  /**
   * A membership, with the account made from it if there is one.
   *
   * @param username the linked account, or null if none was made from it
   */
  public record Membership(
      String idWolves,
      String email,
      LocalDate expiry,
      @Nullable String firstName,
      @Nullable String lastName,
      @Nullable String username) {

    /** Whether the membership is paid up on that day. */
    public boolean isCurrentOn(LocalDate day) {
      return !expiry.isBefore(day);
    }
  }

  private static final String MEMBERSHIP =
      "SELECT w.id_wolves, w.email, w.expiry, w.name_first, w.name_second, a.username"
          + " FROM accounts_wolves w LEFT JOIN accounts a ON a.id_wolves = w.id_wolves WHERE ";

  /**
   * The membership with this address (case-insensitive), the latest expiry first when an address
   * has several. A rehearsal's membership is never the answer.
   */
  public Optional<Membership> byEmail(Connection c, String address) throws SQLException {
    return membership(
        c, "lower(w.email) = lower(?) AND w.id_wolves NOT LIKE " + REHEARSALS, address);
  }

  /** The membership with this Wolves id. */
  public Optional<Membership> byId(Connection c, String idWolves) throws SQLException {
    return membership(c, "w.id_wolves = ?", idWolves);
  }

  private static Optional<Membership> membership(Connection c, String where, String value)
      throws SQLException {
    return Sql.first(
        c,
        MEMBERSHIP + where + " ORDER BY w.expiry DESC LIMIT 1",
        Memberships::membershipAt,
        value);
  }

  /** The membership on the result's row, read as {@link #MEMBERSHIP} selects it. */
  private static Membership membershipAt(ResultSet rs) throws SQLException {
    return new Membership(
        rs.getString(1),
        rs.getString(2),
        LocalDate.parse(rs.getString(3)),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6));
  }

  /** The account made from this membership, if any. */
  public Optional<String> accountOf(Connection c, String idWolves) throws SQLException {
    return Sql.first(
        c, "SELECT username FROM accounts WHERE id_wolves = ?", rs -> rs.getString(1), idWolves);
  }

  /** As {@link #accountOf(Connection, String)}, on its own connection. */
  public Optional<String> accountOf(String idWolves) {
    return database.withConnection(
        "reading the account of membership " + idWolves, c -> accountOf(c, idWolves));
  }

  /** Records a new account, active, as made from the membership, with its contact address. */
  public void linkAccount(
      Connection c, String username, String idWolves, String email, Instant createdAt)
      throws SQLException {
    Sql.update(
        c,
        "INSERT INTO accounts (username, id_wolves, email, created_at, status)"
            + " VALUES (?, ?, ?, ?, 'active')",
        username,
        idWolves,
        email,
        createdAt.toString());
  }

  /**
   * An address a signup can be tried with: a current membership without an account. For {@code
   * accounts dev} to suggest one.
   */
  public Optional<String> addressThatCanSignUp(LocalDate today) {
    return database.withConnection(
        "looking for a member without an account",
        c ->
            Sql.first(
                c,
                "SELECT w.email FROM accounts_wolves w LEFT JOIN accounts a"
                    + " ON a.id_wolves = w.id_wolves WHERE a.username IS NULL AND w.expiry >= ?"
                    + " ORDER BY w.id_wolves LIMIT 1",
                rs -> rs.getString(1),
                today.toString()));
  }

  /**
   * An account the service made and an admin has not disabled, with its contact address: the
   * accounts a member may log in to and recover. A disabled one is as unknown as any other name.
   */
  public record Account(String username, String email) {}

  /** The accounts whose contact address this is (case-insensitive), by username. */
  public List<Account> accountsByEmail(Connection c, String email) throws SQLException {
    return accounts(c, "lower(email) = lower(?)", email);
  }

  /** The account with this (lowercase) username, if the service made it. */
  public Optional<Account> account(Connection c, String username) throws SQLException {
    return accounts(c, "username = ?", username).stream().findFirst();
  }

  /** As {@link #account(Connection, String)}, on its own connection. */
  public Optional<Account> account(String username) {
    return database.withConnection("reading the account " + username, c -> account(c, username));
  }

  private static List<Account> accounts(Connection c, String where, String value)
      throws SQLException {
    return Sql.list(
        c,
        "SELECT username, email FROM accounts WHERE status <> 'disabled' AND "
            + where
            + " ORDER BY username",
        rs -> new Account(rs.getString(1), rs.getString(2)),
        value);
  }

  /** Every account the service made, by username. */
  public List<String> usernames() {
    return database.withConnection(
        "listing the accounts",
        c -> Sql.list(c, "SELECT username FROM accounts ORDER BY username", rs -> rs.getString(1)));
  }

  /** Forgets the account (not its membership): its member can sign up again. */
  public void forgetAccount(Connection c, String username) throws SQLException {
    Sql.update(c, "DELETE FROM accounts WHERE username = ?", username);
  }

  /** The expiry of the membership linked to the account; empty if none is. */
  public Optional<LocalDate> expiryOf(String username) {
    return database.withConnection(
        "reading the membership of " + username,
        c ->
            Sql.first(
                c,
                "SELECT w.expiry FROM accounts a JOIN accounts_wolves w"
                    + " ON w.id_wolves = a.id_wolves WHERE a.username = ?",
                rs -> LocalDate.parse(rs.getString(1)),
                username));
  }

  /**
   * Where an account stands.
   *
   * @param status {@code active}, {@code expired} or {@code disabled}
   * @param idWolves the membership linked to it
   * @param expiry that membership's expiry; null if it is no longer imported
   */
  public record Standing(
      String username, String status, String idWolves, @Nullable LocalDate expiry) {
    public boolean disabled() {
      return status.equals("disabled");
    }
  }

  public Optional<Standing> standing(Connection c, String username) throws SQLException {
    return Sql.first(c, STANDINGS + " WHERE a.username = ?", Memberships::standingOf, username);
  }

  private static final String STANDINGS =
      "SELECT a.username, a.status, a.id_wolves, w.expiry FROM accounts a"
          + " LEFT JOIN accounts_wolves w ON w.id_wolves = a.id_wolves";

  private static Standing standingOf(ResultSet rs) throws SQLException {
    String expiry = rs.getString(4);
    return new Standing(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        expiry == null ? null : LocalDate.parse(expiry));
  }

  /**
   * Every account the service made, by username, with its standing: what {@code sync-groups} works
   * from.
   */
  public List<Standing> standings() {
    return database.withConnection(
        "reading the accounts' standing",
        c -> Sql.list(c, STANDINGS + " ORDER BY a.username", Memberships::standingOf));
  }

  /** As {@link #standing(Connection, String)}, on its own connection. */
  public Optional<Standing> standing(String username) {
    return database.withConnection(
        "reading the standing of " + username, c -> standing(c, username));
  }

  /**
   * A membership as the committee looks it up, with the account made from it, if any.
   *
   * @param expiry null for an account whose membership is no longer imported
   * @param username the linked account; null if none was made from it
   * @param status that account's status; null if there is none
   */
  public record Listing(
      String idWolves,
      @Nullable String idStudent,
      String email,
      @Nullable LocalDate expiry,
      String name,
      @Nullable String username,
      @Nullable String status) {}

  private static final String LISTING =
      "SELECT coalesce(w.id_wolves, a.id_wolves), w.id_student, coalesce(w.email, a.email),"
          + " w.expiry, trim(coalesce(w.name_first, '') || ' ' || coalesce(w.name_second, '')),"
          + " a.username, a.status";

  private static Listing listingOf(ResultSet rs) throws SQLException {
    return new Listing(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4) == null ? null : LocalDate.parse(rs.getString(4)),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7));
  }

  /**
   * The memberships (or, if asked, only those with an account) whose id, student number, address,
   * name or username holds the text, case-insensitively; the latest expiry first. An empty text
   * finds them all, up to the limit.
   */
  public List<Listing> search(String text, boolean withAccountOnly, int limit) {
    String like =
        "%"
            + text.strip()
                .toLowerCase(java.util.Locale.ROOT)
                .replace("\\", "\\\\")
                .replace("%", "\\%")
                .replace("_", "\\_")
            + "%";
    String matches =
        " WHERE (lower(coalesce(w.id_wolves, a.id_wolves)) LIKE ? ESCAPE '\\'"
            + " OR lower(coalesce(w.id_student, '')) LIKE ? ESCAPE '\\'"
            + " OR lower(coalesce(w.email, a.email)) LIKE ? ESCAPE '\\'"
            + " OR lower(coalesce(w.name_first, '') || ' ' || coalesce(w.name_second, ''))"
            + " LIKE ? ESCAPE '\\'"
            + " OR coalesce(a.username, '') LIKE ? ESCAPE '\\')"
            + " AND coalesce(w.id_wolves, a.id_wolves) NOT LIKE "
            + REHEARSALS;
    // Accounts come from their own table: one whose membership is no longer imported is still
    // listed, so an admin can still disable it.
    String from =
        withAccountOnly
            ? " FROM accounts a LEFT JOIN accounts_wolves w ON w.id_wolves = a.id_wolves"
            : " FROM accounts_wolves w LEFT JOIN accounts a ON a.id_wolves = w.id_wolves";
    return database.withConnection(
        "searching the members",
        c ->
            Sql.list(
                c,
                LISTING
                    + from
                    + matches
                    + " ORDER BY w.expiry IS NULL, w.expiry DESC, coalesce(w.id_wolves, a.id_wolves)"
                    + " LIMIT ?",
                Memberships::listingOf,
                like,
                like,
                like,
                like,
                like,
                limit));
  }

  /**
   * Every membership, in id order, to the consumer one at a time: an export of a large list never
   * holds it all.
   *
   * @return how many there were
   */
  public long forEach(java.util.function.Consumer<Listing> each) {
    return database.withConnection(
        "reading every member",
        c -> {
          try (PreparedStatement query =
                  c.prepareStatement(
                      LISTING
                          + " FROM accounts_wolves w LEFT JOIN accounts a ON a.id_wolves = w.id_wolves"
                          + " WHERE w.id_wolves NOT LIKE "
                          + REHEARSALS
                          + " ORDER BY w.id_wolves");
              ResultSet rs = query.executeQuery()) {
            long count = 0;
            while (rs.next()) {
              each.accept(listingOf(rs));
              count++;
            }
            return count;
          }
        });
  }

  /** How many accounts were made at or after {@code since}: the projector's count, no names. */
  public long accountsCreatedSince(Instant since) {
    return database.withConnection(
        "counting the new accounts",
        c ->
            Sql.number(c, "SELECT count(*) FROM accounts WHERE created_at >= ?", since.toString()));
  }

  /** How many accounts have each status ({@code active}, {@code expired}, {@code disabled}). */
  public Map<String, Long> accountStatuses() {
    return database.withConnection(
        "counting the accounts",
        c -> {
          Map<String, Long> counts = new java.util.TreeMap<>();
          for (String status : List.of("active", "expired", "disabled")) {
            counts.put(status, 0L);
          }
          Sql.list(
                  c,
                  "SELECT status, count(*) FROM accounts GROUP BY status",
                  rs -> Map.entry(rs.getString(1), rs.getLong(2)))
              .forEach(e -> counts.put(e.getKey(), e.getValue()));
          return counts;
        });
  }

  /** How many members there are and how many are current, on their own connection. */
  public Census census(LocalDate today) {
    return database.withConnection("counting the members", c -> census(c, today));
  }

  /**
   * Disables the account, or enables it again (as {@code expired}: the next sync, or the caller,
   * works out whether its membership makes it active).
   *
   * @return whether it changed: false if it was so already, or there is no such account
   */
  public boolean setDisabled(Connection c, String username, boolean disabled) throws SQLException {
    return Sql.update(
            c,
            disabled
                ? "UPDATE accounts SET status = 'disabled' WHERE username = ? AND status <> 'disabled'"
                : "UPDATE accounts SET status = 'expired' WHERE username = ? AND status = 'disabled'",
            username)
        > 0;
  }

  /**
   * Sets an account's status as its membership decides it, {@code active} or {@code expired}; an
   * account an admin disabled keeps that status.
   *
   * @return whether the account had another status before
   */
  public boolean setStatusByMembership(Connection c, String username, boolean current)
      throws SQLException {
    return Sql.update(
            c,
            "UPDATE accounts SET status = ? WHERE username = ? AND status NOT IN (?, 'disabled')",
            current ? "active" : "expired",
            username,
            current ? "active" : "expired")
        > 0;
  }

  /**
   * The current membership with this address that no account but {@code username}'s holds, the
   * latest expiry first.
   */
  public Optional<String> currentFreeMembership(
      Connection c, String email, String username, LocalDate today) throws SQLException {
    return Sql.first(
        c,
        "SELECT w.id_wolves FROM accounts_wolves w"
            + " WHERE lower(w.email) = lower(?) AND w.expiry >= ?"
            + " AND NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id_wolves = w.id_wolves"
            + " AND a.username <> ?)"
            + " ORDER BY w.expiry DESC LIMIT 1",
        rs -> rs.getString(1),
        email,
        today.toString(),
        username);
  }

  /**
   * Sets the account's contact address, and links it to another membership when one is given.
   *
   * @param membership the membership to link; null to keep the linked one
   * @param activate whether the account becomes active
   */
  public void changeContact(
      Connection c, String username, String email, @Nullable String membership, boolean activate)
      throws SQLException {
    Sql.update(
        c,
        "UPDATE accounts SET email = ?, id_wolves = coalesce(?, id_wolves),"
            + " status = CASE WHEN ? THEN 'active' ELSE status END WHERE username = ?",
        email,
        membership,
        activate,
        username);
  }

  /**
   * Deletes the memberships that expired on or before {@code lastExpiry} and that no account was
   * made from: people who never signed up are kept no longer than needed. A membership an account
   * was made from stays however old: it is the account's link to its member.
   *
   * @return how many were deleted
   */
  public int forgetUnlinkedExpiredBy(Connection c, LocalDate lastExpiry) throws SQLException {
    return Sql.update(
        c,
        "DELETE FROM accounts_wolves WHERE expiry <= ? AND NOT EXISTS"
            + " (SELECT 1 FROM accounts a WHERE a.id_wolves = accounts_wolves.id_wolves)",
        lastExpiry.toString());
  }

  /** How many members there are; for a backup's check, also of a legacy database. */
  public static long count(Connection c) throws SQLException {
    return Sql.number(c, "SELECT count(*) FROM accounts_wolves");
  }

  /** How many members there are, and how many of them are current on the day. */
  public record Census(long members, long current) {}

  public static Census census(Connection c, LocalDate today) throws SQLException {
    return Sql.first(
            c,
            "SELECT count(*), count(CASE WHEN expiry >= ? THEN 1 END) FROM accounts_wolves",
            rs -> new Census(rs.getLong(1), rs.getLong(2)),
            today.toString())
        .orElseThrow();
  }

  /** The id of a rehearsal's membership: one no import uses, and no real request finds. */
  public static String rehearsalId(String suffix) {
    return REHEARSAL_PREFIX + suffix;
  }

  /** Adds a membership for a rehearsal, under an id from {@link #rehearsalId}. */
  public void addRehearsal(Connection c, String idWolves, String email, LocalDate expiry)
      throws SQLException {
    requireRehearsal(idWolves);
    Sql.update(
        c,
        "INSERT INTO accounts_wolves (id_wolves, id_student, email, expiry, name_first,"
            + " name_second) VALUES (?, NULL, ?, ?, 'Preflight', 'Rehearsal')",
        idWolves,
        email,
        expiry.toString());
  }

  /** The rehearsal memberships left, each with its account if one was made. */
  public List<Membership> rehearsals(Connection c) throws SQLException {
    return Sql.list(
        c,
        MEMBERSHIP + "w.id_wolves LIKE " + REHEARSALS + " ORDER BY w.id_wolves",
        Memberships::membershipAt);
  }

  /** Removes a rehearsal's membership and its account row; a real membership is never touched. */
  public void forgetRehearsal(Connection c, String idWolves) throws SQLException {
    requireRehearsal(idWolves);
    Sql.update(c, "DELETE FROM accounts WHERE id_wolves = ?", idWolves);
    Sql.update(c, "DELETE FROM accounts_wolves WHERE id_wolves = ?", idWolves);
  }

  private static void requireRehearsal(String idWolves) {
    if (!idWolves.startsWith(REHEARSAL_PREFIX)) {
      throw new IllegalArgumentException(idWolves + " is not a rehearsal's membership");
    }
  }

  static final class Load implements AutoCloseable {
    /** Rows per INSERT statement: one statement per row spends most of its time crossing JNI. */
    private static final int ROWS_PER_STATEMENT = 64;

    /** As created by migration V2; dropped and rebuilt around a load into an empty table. */
    private static final String EMAIL_INDEX =
        "CREATE INDEX accounts_wolves_email ON accounts_wolves (lower(email))";

    /**
     * SQLite's own default page cache (2,000 KiB), not the service's 64 MiB, while loading. With
     * the large cache every dirty page waits for the commit to be written and the index rebuild
     * sorts one huge run in memory; with the small one pages reach the WAL as the load goes and the
     * sort works in runs that fit the processor's caches. With the sqlite3 shell at 1,000,000 rows:
     * the load 0.59 s against 0.77 s, the index 0.72 s against 1.35 s, an unchanged upsert 0.75 s
     * against 1.03 s.
     */
    private static final int LOAD_CACHE_KIB = 2000;

    /** Helper threads for the index rebuild's sort: by then the reading is over, the cores idle. */
    private static final int SORT_THREADS = 2;

    private static final String UPSERT_CONFLICT =
        """
         ON CONFLICT (id_wolves) DO UPDATE SET
          id_student = excluded.id_student, email = excluded.email, expiry = excluded.expiry,
          name_first = excluded.name_first, name_second = excluded.name_second
        WHERE id_student IS NOT excluded.id_student OR email IS NOT excluded.email
          OR expiry IS NOT excluded.expiry OR name_first IS NOT excluded.name_first
          OR name_second IS NOT excluded.name_second""";

    private final Connection connection;
    private final PreparedStatement upsertOne;
    private final PreparedStatement upsertMany;
    private final long rowsBefore;
    private final LocalDate today;
    private final long cacheBefore;
    private final boolean rebuildIndex;
    private long added;
    private long written;
    // Exports repeat a handful of expiry dates: each is formatted once, not once a row.
    private final Map<LocalDate, String> dayText = new HashMap<>();

    /**
     * @param today members whose expiry is on or after this day are current; an import that moves a
     *     current member's expiry before it counts as a lapse, for the expiry guard
     */
    private Load(Connection connection, LocalDate today) throws SQLException {
      this.connection = connection;
      this.today = today;
      this.rowsBefore = count("SELECT count(*) FROM accounts_wolves", null);
      // Building an index once over a loaded table is several times faster than growing it row by
      // row; inside the transaction, a rollback restores it.
      this.rebuildIndex = rowsBefore == 0;
      try (Statement statement = connection.createStatement()) {
        this.cacheBefore = pragma(statement, "cache_size");
        statement.execute("PRAGMA cache_size = -" + LOAD_CACHE_KIB);
        // Temporary triggers see the old and new expiry of each row the upsert writes, which the
        // upsert itself cannot report: the members it moves to a past expiry (lapsed) and those it
        // makes current (gained), from which the members current before are worked out if a
        // lapse needs them, instead of counting them all in a scan of the table before every
        // import. The triggers and their counters vanish with the connection.
        statement.execute(
            "CREATE TEMP TABLE IF NOT EXISTS import_expiries"
                + " (lapsed INTEGER NOT NULL, gained INTEGER NOT NULL)");
        statement.execute("DELETE FROM import_expiries");
        statement.execute("INSERT INTO import_expiries (lapsed, gained) VALUES (0, 0)");
        String day = "'" + today + "'"; // LocalDate.toString() is always yyyy-MM-dd
        statement.execute("DROP TRIGGER IF EXISTS temp.import_lapse");
        statement.execute(
            "CREATE TEMP TRIGGER import_lapse AFTER UPDATE OF expiry ON accounts_wolves"
                + (" WHEN old.expiry >= " + day + " AND new.expiry < " + day)
                + " BEGIN UPDATE import_expiries SET lapsed = lapsed + 1; END");
        statement.execute("DROP TRIGGER IF EXISTS temp.import_renewal");
        statement.execute(
            "CREATE TEMP TRIGGER import_renewal AFTER UPDATE OF expiry ON accounts_wolves"
                + (" WHEN old.expiry < " + day + " AND new.expiry >= " + day)
                + " BEGIN UPDATE import_expiries SET gained = gained + 1; END");
        statement.execute("DROP TRIGGER IF EXISTS temp.import_new_current");
        if (rebuildIndex) {
          statement.execute("DROP INDEX IF EXISTS accounts_wolves_email");
        } else {
          // Into an empty table nobody was current before, so a first load needs no count of its
          // current members and pays for no trigger on each of its inserts.
          statement.execute(
              "CREATE TEMP TRIGGER import_new_current AFTER INSERT ON accounts_wolves"
                  + (" WHEN new.expiry >= " + day)
                  + " BEGIN UPDATE import_expiries SET gained = gained + 1; END");
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
          long threadsBefore = pragma(statement, "threads");
          statement.execute("PRAGMA threads = " + SORT_THREADS);
          try {
            statement.execute(EMAIL_INDEX);
          } finally {
            statement.execute("PRAGMA threads = " + threadsBefore);
          }
        }
      }
      long inserted = count("SELECT count(*) FROM accounts_wolves", null) - rowsBefore;
      long lapsed = count("SELECT lapsed FROM import_expiries", null);
      return new Changes(inserted, written - inserted, added - written, lapsed);
    }

    /**
     * How many members were current before this load, for the expiry guard: those current now, less
     * those it made current, plus those it lapsed. Counted here, once the load is written, and only
     * when asked: only an import that lapses someone needs it.
     */
    long currentBefore() throws SQLException {
      if (rowsBefore == 0) {
        return 0;
      }
      return count("SELECT count(*) FROM accounts_wolves WHERE expiry >= ?", today)
          - count("SELECT gained FROM import_expiries", null)
          + count("SELECT lapsed FROM import_expiries", null);
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

    private static long pragma(Statement statement, String name) throws SQLException {
      try (ResultSet rs = statement.executeQuery("PRAGMA " + name)) {
        rs.next();
        return rs.getLong(1);
      }
    }

    @Override
    public void close() throws SQLException {
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA cache_size = " + cacheBefore);
      } finally {
        upsertOne.close();
        upsertMany.close();
      }
    }
  }
}
