package ie.skynet.accounts.db;

import static ie.skynet.accounts.db.TestDatabases.execute;
import static ie.skynet.accounts.db.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseIT {
  @TempDir Path dir;

  @Test
  void latestVersionConstantIsTheNewestMigrationFlywayFinds() {
    MigrationReport report = new Database(TestDatabases.in(dir)).migrate();
    assertThat(report.toVersion()).isEqualTo(Database.LATEST_VERSION);
    assertThat(report.applied()).last().asString().startsWith(Database.LATEST_VERSION + " ");
  }

  /** A database from before the one queue (V11) keeps the requests waiting in the old tables. */
  @Test
  void requestsWaitingInTheOldQueuesAreKeptInTheOneQueueInTheOrderTheyCame() {
    DatabaseSettings settings = TestDatabases.in(dir);
    migrateTo(settings, "10");
    Database database = new Database(settings);
    execute(
        database,
        "INSERT INTO signup_asks (email, asked_at) VALUES ('b@example.com', '2026-11-30T10:00:02Z')",
        "INSERT INTO signup_asks (email, asked_at) VALUES ('a@example.com', '2026-11-30T10:00:00Z')",
        "INSERT INTO recovery_asks (kind, value, asked_at)"
            + " VALUES ('password', 'aoife', '2026-11-30T10:00:01Z')");

    assertThat(database.migrate().applied())
        .startsWith("11 one ask queue", "12 one link store"); // and any later ones

    assertThat(rows(database, "SELECT kind, value, asked_at FROM asks ORDER BY id"))
        .containsExactly(
            "signup|a@example.com|2026-11-30T10:00:00Z",
            "password|aoife|2026-11-30T10:00:01Z",
            "signup|b@example.com|2026-11-30T10:00:02Z");
    assertThat(
            rows(
                database,
                "SELECT count(*) FROM sqlite_master WHERE name IN ('signup_asks', 'recovery_asks')"))
        .containsExactly("0");
  }

  /** A database from before the one link store (V12): the links already mailed still work. */
  @Test
  void linksMailedBeforeTheOneStoreStillWorkAfterIt() {
    DatabaseSettings settings = TestDatabases.in(dir);
    migrateTo(settings, "11");
    Database database = new Database(settings);
    String signup = "S".repeat(43);
    String reset = "R".repeat(43);
    execute(
        database,
        "INSERT INTO signup_requests (token_sha256, purpose, email, id_wolves, created_at,"
            + " expires_at) VALUES ('"
            + ie.skynet.accounts.links.BearerTokens.sha256(signup)
            + "', 'signup', 'aoife@example.com', 'W1', '2026-11-30T10:00:00Z',"
            + " '2026-12-01T10:00:00Z')",
        "INSERT INTO password_resets (token_sha256, username, email, created_at, expires_at,"
            + " used_at) VALUES ('"
            + ie.skynet.accounts.links.BearerTokens.sha256(reset)
            + "', 'aoife', 'aoife@example.com', '2026-11-30T10:00:00.123456Z',"
            + " '2026-11-30T11:00:00.123456Z', '2026-11-30T10:05:00.5Z')");

    assertThat(database.migrate().applied()).startsWith("12 one link store"); // and any later

    ie.skynet.accounts.links.Links links =
        new ie.skynet.accounts.links.Links(
            database,
            new java.security.SecureRandom(),
            java.time.Clock.fixed(
                java.time.Instant.parse("2026-11-30T12:00:00Z"), java.time.ZoneOffset.UTC));
    assertThat(links.check(ie.skynet.accounts.links.LinkPurpose.SIGNUP, signup))
        .isEqualTo(
            new ie.skynet.accounts.links.LinkCheck.Valid(
                new ie.skynet.accounts.links.Link(
                    ie.skynet.accounts.links.LinkPurpose.SIGNUP,
                    "W1",
                    "aoife@example.com",
                    java.time.Instant.parse("2026-12-01T10:00:00Z"))));
    assertThat(links.check(ie.skynet.accounts.links.LinkPurpose.PASSWORD_RESET, reset))
        .isInstanceOf(ie.skynet.accounts.links.LinkCheck.Used.class);
    // Times are whole seconds in one form, so they compare as text.
    assertThat(
            rows(
                database,
                "SELECT created_at, expires_at, used_at FROM links WHERE subject = 'aoife'"))
        .containsExactly("2026-11-30T10:00:00Z|2026-11-30T11:00:00Z|2026-11-30T10:05:00Z");
  }

  private static void migrateTo(DatabaseSettings settings, String version) {
    org.flywaydb.core.Flyway.configure()
        .dataSource(settings.url(), null, null)
        .locations("classpath:db/migration")
        .javaMigrations(new V1__AdoptAccountsWolves(note -> {}))
        .target(version)
        .load()
        .migrate();
  }

  @Test
  void createsTheDirectoryAndUsesWalWithForeignKeys() {
    Database database =
        new Database(new DatabaseSettings("jdbc:sqlite:" + dir.resolve("a/b/accounts.db")));
    database.migrate();
    assertThat(Files.isRegularFile(dir.resolve("a/b/accounts.db"))).isTrue();
    assertThat(rows(database, "PRAGMA journal_mode")).containsExactly("wal");
    assertThat(rows(database, "PRAGMA foreign_keys")).containsExactly("1");
    // Waiting for a lock is the service's own short-step handler, which replaces SQLite's.
    assertThat(rows(database, "PRAGMA busy_timeout")).containsExactly("0");
  }

  @Test
  void aSecondWriterWaitsForTheFirstInsteadOfFailing() throws Exception {
    Database database = TestDatabases.migrated(dir);
    execute(database, "CREATE TABLE t (x INTEGER)");
    try (java.sql.Connection first = database.connect()) {
      first.setAutoCommit(false); // BEGIN IMMEDIATE: holds the write lock
      first.createStatement().execute("INSERT INTO t VALUES (1)");
      Thread releaser =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      Thread.sleep(300);
                      first.setAutoCommit(true); // commits, freeing the lock
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  });
      execute(database, "INSERT INTO t VALUES (2)"); // waits, then succeeds
      releaser.join();
    }
    assertThat(rows(database, "SELECT x FROM t ORDER BY x")).containsExactly("1", "2");
  }

  @Test
  void aFailedLatestMigrationIsNotTakenAsCurrent() {
    Database database = TestDatabases.migrated(dir);
    execute(
        database,
        "UPDATE flyway_schema_history SET success = 0 WHERE version = '"
            + Database.LATEST_VERSION
            + "'");
    // Flyway itself now sees the failed migration and refuses, rather than the fast path passing
    // it.
    org.assertj.core.api.Assertions.assertThatThrownBy(database::migrate)
        .isInstanceOf(DatabaseException.class)
        .hasMessageContaining("Detected failed migration to version " + Database.LATEST_VERSION);
  }

  @Test
  void aSecretIsMadeOnceAndThenTheSameForEveryone() {
    Database database = TestDatabases.migrated(dir);
    byte[] first =
        database.secret(
            "csrf-key", 32, new java.security.SecureRandom(), java.time.Clock.systemUTC());
    Database another = new Database(TestDatabases.in(dir)); // a second instance, or a restart
    assertThat(
            another.secret(
                "csrf-key", 32, new java.security.SecureRandom(), java.time.Clock.systemUTC()))
        .isEqualTo(first);
    assertThat(first).hasSize(32).isNotEqualTo(new byte[32]);
    assertThat(
            database.secret(
                "other", 32, new java.security.SecureRandom(), java.time.Clock.systemUTC()))
        .isNotEqualTo(first);
  }
}
