package ie.skynet.accounts.db;

import static ie.skynet.accounts.db.TestDatabases.execute;
import static ie.skynet.accounts.db.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ie.skynet.accounts.membership.Memberships;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups of real SQLite files, taken while another connection writes, and restored by copying. */
class DatabaseBackupIT {
  private static final int MEMBERS = 2_000;

  @TempDir Path dir;

  @Test
  void aBackupTakenWhileAnotherThreadWritesIsAConsistentSnapshot() throws Exception {
    Database database = TestDatabases.migrated(dir);
    addMembers(database, 0, MEMBERS);
    // Each write adds a member and a row here in one transaction: a consistent copy has as many
    // members beyond the first MEMBERS as it has rows here, whenever it was taken.
    execute(database, "CREATE TABLE backup_writes (n INTEGER NOT NULL)");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong written = new AtomicLong();
    AtomicReference<Throwable> writerFailed = new AtomicReference<>();
    Thread writer =
        Thread.ofPlatform()
            .start(
                () -> {
                  try (Connection connection = database.connect()) {
                    for (long n = 0; !stop.get(); n++) {
                      connection.setAutoCommit(false);
                      addMember(connection, MEMBERS + n);
                      try (PreparedStatement insert =
                          connection.prepareStatement("INSERT INTO backup_writes VALUES (?)")) {
                        insert.setLong(1, n);
                        insert.executeUpdate();
                      }
                      connection.commit();
                      written.incrementAndGet();
                    }
                  } catch (Throwable e) {
                    writerFailed.set(e);
                  }
                });
    try {
      while (written.get() < 50 && writerFailed.get() == null) {
        Thread.onSpinWait(); // the backup must start while writes are under way
      }
      long before = written.get();
      BackupReport report = database.backup(dir.resolve("backup.db"), false, Memberships::count);
      long after = written.get();
      assertThat(after).as("writes went on during the backup").isGreaterThan(before);

      Database copy = new Database(new DatabaseSettings("jdbc:sqlite:" + report.file()));
      assertThat(rows(copy, "PRAGMA integrity_check")).containsExactly("ok");
      long extra = Long.parseLong(rows(copy, "SELECT count(*) FROM backup_writes").get(0));
      assertThat(extra).isBetween(before, after);
      assertThat(report.members()).isEqualTo(MEMBERS + extra);
      assertThat(rows(copy, "SELECT count(*) FROM accounts_wolves"))
          .containsExactly(Long.toString(MEMBERS + extra));
      assertThat(report.schemaVersion()).isEqualTo(Database.LATEST_VERSION);
      assertThat(report.bytes()).isEqualTo(Files.size(report.file()));
    } finally {
      stop.set(true);
      writer.join();
    }
    assertThat(writerFailed.get()).as("the writer was never blocked into failing").isNull();
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void aBackupCopiedOverTheDatabaseIsWhatTheServiceThenSees() throws Exception {
    Database database = TestDatabases.migrated(dir);
    addMembers(database, 0, 25);
    Path backup = dir.resolve("backups/accounts.db");
    Files.createDirectories(backup.getParent());
    database.backup(backup, false, Memberships::count);
    execute(database, "DELETE FROM accounts_wolves WHERE id_wolves >= 'W00010'"); // lost since

    // The restore of docs/operations.md: the service stopped, the -wal and -shm removed.
    Path file = dir.resolve("accounts.db");
    Files.copy(backup, file, StandardCopyOption.REPLACE_EXISTING);
    Files.deleteIfExists(dir.resolve("accounts.db-wal"));
    Files.deleteIfExists(dir.resolve("accounts.db-shm"));

    Database restored = new Database(TestDatabases.in(dir));
    assertThat(restored.migrate().applied()).isEmpty();
    assertThat(rows(restored, "SELECT count(*) FROM accounts_wolves")).containsExactly("25");
    assertThat(rows(restored, "PRAGMA journal_mode")).containsExactly("wal");
  }

  @Test
  void migrateBringsABackupOfAnOlderSchemaUpToDate() throws Exception {
    Path legacyDir = Files.createDirectory(dir.resolve("legacy"));
    Database legacy = new Database(TestDatabases.in(legacyDir));
    execute(
        legacy,
        "CREATE TABLE accounts_wolves (id_wolves TEXT PRIMARY KEY, id_student TEXT, email TEXT"
            + " NOT NULL, expiry TEXT NOT NULL, name_first TEXT, name_second TEXT)",
        "INSERT INTO accounts_wolves VALUES ('W1', NULL, 'a@example.com', '2027-08-31', 'A', 'B')");
    BackupReport report = legacy.backup(dir.resolve("old.db"), false, Memberships::count);
    assertThat(report.schemaVersion()).isNull();
    assertThat(report.members()).isEqualTo(1);
    assertThat(legacy.isCurrent()).as("a backup migrates nothing").isFalse();

    Files.copy(report.file(), dir.resolve("accounts.db"));
    Database restored = new Database(TestDatabases.in(dir));
    MigrationReport migration = restored.migrate();
    assertThat(migration.toVersion()).isEqualTo(Database.LATEST_VERSION);
    assertThat(TestDatabases.members(restored)).hasSize(1);
  }

  @Test
  void anExistingBackupIsReplacedOnlyWhenAsked() throws Exception {
    Database database = TestDatabases.migrated(dir);
    Path backup = Files.writeString(dir.resolve("backup.db"), "an older backup");
    assertThatThrownBy(() -> database.backup(backup, false, Memberships::count))
        .isInstanceOf(DatabaseException.class)
        .hasMessageContaining(backup + " already exists");
    assertThat(Files.readString(backup)).isEqualTo("an older backup");

    addMembers(database, 0, 3);
    assertThat(database.backup(backup, true, Memberships::count).members()).isEqualTo(3);
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void refusesToOverwriteTheDatabaseItselfEvenWhenForced() {
    Database database = TestDatabases.migrated(dir);
    assertThatThrownBy(() -> database.backup(dir.resolve("accounts.db"), true, Memberships::count))
        .isInstanceOf(DatabaseException.class)
        .hasMessageContaining("the database itself");
  }

  @Test
  void aMissingDatabaseIsNotCreatedByBackingItUp() {
    Database database = new Database(TestDatabases.in(dir.resolve("nowhere")));
    assertThatThrownBy(() -> database.backup(dir.resolve("backup.db"), false, Memberships::count))
        .hasMessageContaining("there is no database at");
    assertThat(dir.resolve("nowhere")).doesNotExist();
    assertThat(dir.resolve("backup.db")).doesNotExist();
  }

  /** Unfinished copies: none may stay behind, whatever happened. */
  private Stream<Path> leftovers() throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".partial")).toList().stream();
    }
  }

  private static void addMembers(Database database, long from, long count) throws SQLException {
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      for (long n = from; n < from + count; n++) {
        addMember(connection, n);
      }
      connection.commit();
    }
  }

  private static void addMember(Connection connection, long n) throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO accounts_wolves (id_wolves, email, expiry) VALUES (?, ?, '2027-08-31')")) {
      insert.setString(1, String.format("W%05d", n));
      insert.setString(2, "member" + n + "@example.com");
      insert.executeUpdate();
    }
  }
}
