package ie.skynet.accounts.db;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** The service's database: connections configured for safe concurrent use, and migrations. */
public final class Database {
  private static final Logger log = LoggerFactory.getLogger(Database.class);
  private static final int BUSY_TIMEOUT_MILLIS = 10_000;

  /** The newest migration shipped; a test keeps it equal to what Flyway finds. */
  static final String LATEST_VERSION = "14";

  /**
   * Waits for another writer in short steps (1 ms, after half a second 5 ms) until the busy timeout
   * has passed. SQLite's own handler sleeps ever longer (up to 100 ms a step), so under many small
   * writes a waiting writer kept sleeping long after the lock was free: signup requests took a
   * second in a busy moment.
   */
  private static final BusyHandler SHORT_WAITS =
      new BusyHandler() {
        // SQLite calls the handler on the waiting thread, counting calls from 0 for each wait.
        private final ThreadLocal<Long> waitStarted = ThreadLocal.withInitial(System::nanoTime);

        @Override
        protected int callback(int callsBefore) {
          long now = System.nanoTime();
          if (callsBefore == 0) {
            waitStarted.set(now);
          } else if (now - waitStarted.get() >= BUSY_TIMEOUT_MILLIS * 1_000_000L) {
            return 0; // give up: the caller gets SQLITE_BUSY
          }
          try {
            Thread.sleep(callsBefore < 500 ? 1 : 5);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0; // the thread is being stopped: fail now rather than wait on
          }
          return 1;
        }
      };

  private final String url;
  private final SQLiteDataSource dataSource;

  public Database(DatabaseSettings settings) {
    this.url = settings.url();
    SQLiteConfig config = new SQLiteConfig();
    // WAL lets readers (the web pages, doctor) run while an import writes; the busy timeout makes
    // a second writer wait for the first instead of failing at once.
    config.setJournalMode(SQLiteConfig.JournalMode.WAL);
    config.enforceForeignKeys(true);
    config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    // 64 MiB of page cache, outside the Java heap: large imports touch many index pages.
    config.setCacheSize(-65_536);
    // Take the write lock when a transaction begins: SQLite cannot wait (busy timeout) for a
    // lock upgrade half-way through a transaction, it fails instead.
    config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    this.dataSource = new SQLiteDataSource(config);
    dataSource.setUrl(url);
  }

  /** The database file, or null for an in-memory or URI-style database. */
  Path file() {
    String rest = url.substring(DatabaseSettings.SQLITE_PREFIX.length());
    int query = rest.indexOf('?');
    return Path.of(query < 0 ? rest : rest.substring(0, query));
  }

  /** Where the database file is; empty for an in-memory database. */
  public java.util.Optional<Path> location() {
    return isFile() ? java.util.Optional.of(file()) : java.util.Optional.empty();
  }

  public String url() {
    return url;
  }

  /** A new connection; the caller closes it. */
  public Connection connect() {
    createParentDirectory();
    try {
      Connection connection = dataSource.getConnection();
      BusyHandler.setHandler(connection, SHORT_WAITS);
      return connection;
    } catch (SQLException e) {
      throw new DatabaseException("cannot open database " + url, e);
    }
  }

  /**
   * Runs work in one transaction on a new connection, by {@link Transactions}' rule: committed if
   * it returns, rolled back if not. Every transaction of the service goes through here.
   *
   * @param doing what the work does, for the error: "recording the account aoife"
   * @throws DatabaseException saying that {@code doing} failed, if the work or the commit fails
   */
  public <T> T inTransaction(String doing, Transactions.Work<T> work) {
    try (Connection connection = connect()) {
      return Transactions.inTransaction(connection, work);
    } catch (SQLException e) {
      throw new DatabaseException(doing + " failed", e);
    }
  }

  /** As {@link #inTransaction(String, Transactions.Work)}, for work that returns nothing. */
  public void runInTransaction(String doing, Transactions.Step step) {
    inTransaction(
        doing,
        c -> {
          step.run(c);
          return Boolean.TRUE;
        });
  }

  /**
   * Runs work on a new connection in auto-commit mode, each statement its own transaction: for
   * reads, which then take no write lock, and for statements that stand alone.
   *
   * @param doing what the work does, for the error
   * @throws DatabaseException saying that {@code doing} failed
   */
  public <T> T withConnection(String doing, Transactions.Work<T> work) {
    try (Connection connection = connect()) {
      return work.run(connection);
    } catch (SQLException e) {
      throw new DatabaseException(doing + " failed", e);
    }
  }

  /**
   * A random key of the given length kept in the database under its name, made on first use (dated
   * by the clock). Every instance sharing the database, and every restart, gets the same one.
   */
  public byte[] secret(String name, int length, SecureRandom random, Clock clock) {
    byte[] fresh = new byte[length];
    random.nextBytes(fresh);
    try (Connection connection = connect();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT OR IGNORE INTO secrets (name, value, created_at) VALUES (?, ?, ?)");
        PreparedStatement select =
            connection.prepareStatement("SELECT value FROM secrets WHERE name = ?")) {
      insert.setString(1, name);
      insert.setBytes(2, fresh);
      insert.setString(3, clock.instant().toString());
      insert.executeUpdate(); // another instance may have made it first: its key wins
      select.setString(1, name);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next() || rs.getBytes(1).length != length) {
          throw new DatabaseException(
              "the secret '" + name + "' in " + url + " is not " + length + " bytes long");
        }
        return rs.getBytes(1);
      }
    } catch (SQLException e) {
      throw new DatabaseException("reading the secret '" + name + "' failed", e);
    }
  }

  private boolean isFile() {
    String rest = url.substring(DatabaseSettings.SQLITE_PREFIX.length());
    return !rest.startsWith(":memory:") && !rest.startsWith("file:");
  }

  private void createParentDirectory() {
    if (!isFile()) {
      return;
    }
    Path parent = file().toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      try {
        Files.createDirectories(parent);
      } catch (IOException e) {
        throw new DatabaseException("cannot create the directory for database " + url, e);
      }
    }
  }

  /**
   * Whether the newest migration is already applied. Every command migrates on start-up, and
   * Flyway's own check scans the classpath and validates every applied migration: half a second on
   * each run of a short command.
   */
  public boolean isCurrent() {
    if (isFile() && !Files.isRegularFile(file())) {
      return false; // and do not create it by connecting
    }
    try (Connection connection = readOnly(url);
        Statement statement = connection.createStatement();
        ResultSet rs =
            statement.executeQuery(
                "SELECT version, success FROM flyway_schema_history ORDER BY installed_rank DESC"
                    + " LIMIT 1")) {
      return rs.next() && LATEST_VERSION.equals(rs.getString(1)) && rs.getBoolean(2);
    } catch (SQLException e) {
      return false; // no history table yet: Flyway creates it
    }
  }

  /** Read-only and without the usual pragmas: even switching a legacy file to WAL is a write. */
  private static Connection readOnly(String url) throws SQLException {
    SQLiteConfig readOnly = new SQLiteConfig();
    readOnly.setReadOnly(true);
    readOnly.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
    SQLiteDataSource reader = new SQLiteDataSource(readOnly);
    reader.setUrl(url);
    return reader.getConnection();
  }

  /** Counts the members in a database: the backup's check that its copy holds them. */
  @FunctionalInterface
  public interface Census {
    long members(Connection connection) throws SQLException;
  }

  /**
   * Writes a consistent copy of the database to {@code target} while the service may be writing to
   * it, checks the copy, and only then gives it its final name: a crash never leaves a half backup
   * there. Nothing is migrated or otherwise written to the database itself, so a backup taken
   * before an upgrade holds the schema the old version used.
   *
   * <p>The copy is made with {@code VACUUM INTO} rather than the online backup API ({@code backup
   * to} in sqlite-jdbc). Both give a consistent snapshot, but the backup API copies a few pages a
   * step and starts over whenever another connection writes between steps, so under a steady stream
   * of signups it may never finish; {@code VACUUM INTO} reads everything in one read transaction,
   * which WAL lets run beside writers without blocking them or being restarted. Its copy is also
   * compact and in rollback-journal mode: one self-contained file, with no -wal beside it.
   *
   * @param replace whether an existing file at {@code target} may be replaced
   * @param census counts the members in the copy, for the report (the members table's owner)
   * @throws DatabaseException naming the file, if there is no database file to copy, the target's
   *     directory is missing, the target exists and may not be replaced, or the copy fails its
   *     check
   */
  public BackupReport backup(Path target, boolean replace, Census census) {
    if (!isFile()) {
      throw new DatabaseException("only a database file can be backed up, and " + url + " is not");
    }
    Path source = file();
    if (!Files.isRegularFile(source)) {
      throw new DatabaseException("there is no database at " + source + " to back up");
    }
    Path absolute = target.toAbsolutePath().normalize();
    Path directory = absolute.getParent();
    if (directory == null || !Files.isDirectory(directory)) {
      throw new DatabaseException(
          "cannot write the backup " + target + ": the directory " + directory + " does not exist");
    }
    if (Files.isDirectory(absolute)) {
      throw new DatabaseException(
          "cannot write the backup " + target + ": it is a directory; name a file in it");
    }
    try {
      if (Files.exists(absolute) && Files.isSameFile(absolute, source)) {
        throw new DatabaseException(
            "cannot write the backup " + target + ": it is the database itself");
      }
    } catch (IOException e) {
      throw new DatabaseException("cannot check the backup " + target, e);
    }
    if (!replace && Files.exists(absolute, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      throw new DatabaseException("the backup " + target + " already exists");
    }
    Path partial;
    try {
      // In the target's directory, so the final rename stays on one file system and is atomic;
      // made readable by its owner only, as the database holds session and signing keys.
      partial = Files.createTempFile(directory, "." + absolute.getFileName() + ".", ".partial");
    } catch (IOException e) {
      throw new DatabaseException("cannot write the backup " + target, e);
    }
    try {
      try (Connection connection = readOnly(url);
          PreparedStatement vacuum = connection.prepareStatement("VACUUM INTO ?")) {
        // An empty file is allowed as the target; an existing non-empty one is refused.
        vacuum.setString(1, partial.toString());
        vacuum.execute();
      } catch (SQLException e) {
        throw new DatabaseException("copying " + source + " to " + partial + " failed", e);
      }
      // SQLite does not sync what VACUUM INTO writes: do it before the name says it is complete.
      try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      BackupReport checked = check(partial, target, census);
      publish(partial, absolute, replace, target);
      syncDirectory(directory); // make the rename itself durable
      return checked;
    } catch (IOException e) {
      throw new DatabaseException("writing the backup " + target + " failed", e);
    } finally {
      try {
        Files.deleteIfExists(partial);
      } catch (IOException e) {
        log.warn("could not remove the unfinished backup {}", partial, e);
      }
    }
  }

  /** Opens the copy read-only and reads what an operator needs to trust it. */
  private static BackupReport check(Path copy, Path target, Census census) throws IOException {
    try (Connection connection = readOnly(DatabaseSettings.SQLITE_PREFIX + copy);
        Statement statement = connection.createStatement()) {
      List<String> problems = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery("PRAGMA integrity_check")) {
        while (rs.next()) {
          problems.add(rs.getString(1));
        }
      }
      if (!problems.equals(List.of("ok"))) {
        throw new DatabaseException(
            "the copy for " + target + " failed its integrity check: " + problems);
      }
      String version = null;
      boolean hasHistory;
      try (ResultSet rs =
          statement.executeQuery(
              "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                  + " AND name = 'flyway_schema_history'")) {
        hasHistory = rs.next() && rs.getLong(1) > 0;
      }
      if (hasHistory) {
        try (ResultSet rs =
            statement.executeQuery(
                "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
                    + " ORDER BY installed_rank DESC LIMIT 1")) {
          version = rs.next() ? rs.getString(1) : null;
        }
      }
      long members;
      try {
        members = census.members(connection);
      } catch (SQLException e) {
        throw new DatabaseException(
            "the copy for " + target + " has no members table: is it the service's database?", e);
      }
      return new BackupReport(target, Files.size(copy), version, members);
    } catch (SQLException e) {
      throw new DatabaseException("checking the copy for " + target + " failed", e);
    }
  }

  /** Gives the checked copy its final name in one step. */
  private static void publish(Path partial, Path absolute, boolean replace, Path target)
      throws IOException {
    if (replace) {
      // rename(2): whoever reads the name sees the old backup or the new one, never a mixture.
      Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    try {
      // link(2) fails if the name exists, atomically: no window between a check and the rename.
      Files.createLink(absolute, partial);
    } catch (FileAlreadyExistsException e) {
      throw new DatabaseException("the backup " + target + " already exists", e);
    } catch (UnsupportedOperationException | FileSystemException e) {
      // A file system without hard links: checking first is the best left.
      if (Files.exists(absolute, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        throw new DatabaseException("the backup " + target + " already exists");
      }
      Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  private static void syncDirectory(Path directory) {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some systems cannot open a directory to sync it; the copy itself was synced.
      log.debug("could not sync {}", directory, e);
    }
  }

  /** Legacy rows adoption could not keep, waiting in their own table for an operator. */
  private long rowsSetAside() {
    try (Connection connection = dataSource.getConnection()) {
      return V1__AdoptAccountsWolves.rowsSetAside(connection);
    } catch (SQLException e) {
      throw new DatabaseException("reading the legacy rows set aside failed", e);
    }
  }

  /**
   * Brings the schema up to date, adopting a database made by the previous backend in place.
   *
   * @return what was applied, and anything an operator must look at
   */
  public MigrationReport migrate() {
    createParentDirectory();
    if (isCurrent()) {
      return new MigrationReport(
          LATEST_VERSION, LATEST_VERSION, List.of(), List.of(), rowsSetAside());
    }
    List<String> notes = new ArrayList<>();
    Flyway flyway =
        Flyway.configure()
            .dataSource(dataSource)
            .locations("classpath:db/migration")
            .javaMigrations(new V1__AdoptAccountsWolves(notes::add))
            // A database from the previous backend has tables but no Flyway history: record a
            // baseline *below* V1 so that V1 runs and adopts its accounts_wolves table.
            .baselineOnMigrate(true)
            .baselineVersion("0")
            .baselineDescription("adopted without Flyway history")
            .load();
    try {
      MigrateResult result = flyway.migrate();
      List<String> applied =
          result.migrations.stream().map(m -> m.version + " " + m.description).toList();
      notes.forEach(note -> log.warn("{}", note));
      // Flyway sets the target version only when it applied something.
      String version =
          result.targetSchemaVersion != null
              ? result.targetSchemaVersion
              : result.initialSchemaVersion;
      return new MigrationReport(
          result.initialSchemaVersion, version, applied, notes, rowsSetAside());
    } catch (FlywayException e) {
      throw new DatabaseException("migrating " + url + " failed", e);
    }
  }
}
