package ie.skynet.accounts.db;

import static ie.skynet.accounts.db.TestDatabases.execute;
import static ie.skynet.accounts.db.TestDatabases.members;
import static ie.skynet.accounts.db.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code migrate} adopts each database the society's previous backend may have left, in place. */
class LegacyAdoptionIT {
  @TempDir Path dir;

  @Test
  void emptyFileBecomesAFreshSchema() throws Exception {
    Files.createFile(dir.resolve("accounts.db"));
    Database database = new Database(TestDatabases.in(dir));
    MigrationReport report = database.migrate();
    assertThat(report.applied()).hasSize(Integer.parseInt(Database.LATEST_VERSION));
    assertThat(report.toVersion()).isEqualTo(Database.LATEST_VERSION);
    assertThat(report.notes()).isEmpty();
    assertThat(
            rows(database, "SELECT sql FROM sqlite_master WHERE name = 'accounts_wolves'").get(0))
        .contains("id_wolves TEXT PRIMARY KEY", "email TEXT NOT NULL", "expiry TEXT NOT NULL");
    assertThat(database.migrate().applied()).isEmpty(); // idempotent
  }

  @Test
  void finalSchemaWithoutHistoryIsKeptAsItIs() {
    Database database = new Database(TestDatabases.in(dir));
    execute(
        database,
        "CREATE TABLE accounts_wolves (id_wolves TEXT PRIMARY KEY, id_student TEXT, email TEXT NOT NULL,"
            + " expiry TEXT NOT NULL, name_first TEXT, name_second TEXT)",
        "INSERT INTO accounts_wolves VALUES ('0123', '0024100001', 'a@example.com', '2027-08-31', 'Aoife', 'Murphy')",
        "INSERT INTO accounts_wolves VALUES ('W2', NULL, 'b@example.com', '2025-08-31', NULL, NULL)",
        "CREATE TABLE other_backend_table (x TEXT)");

    MigrationReport report = database.migrate();

    assertThat(report.notes()).isEmpty();
    assertThat(members(database))
        .containsExactly(
            "0123|0024100001|a@example.com|2027-08-31|Aoife|Murphy",
            "W2|null|b@example.com|2025-08-31|null|null");
    assertThat(rows(database, "SELECT count(*) FROM other_backend_table")).containsExactly("0");
    assertThat(rows(database, "SELECT count(*) FROM import_runs")).containsExactly("0");
  }

  @Test
  void untypedFinalSchemaIsRebuiltKeepingEveryRow() {
    Database database = new Database(TestDatabases.in(dir));
    execute(
        database,
        "CREATE TABLE accounts_wolves (id_wolves PRIMARY KEY, id_student, email, expiry, name_first, name_second)",
        "INSERT INTO accounts_wolves VALUES ('W1', '24100001', 'a@example.com', '2027-08-31', 'Aoife', 'Murphy')",
        "INSERT INTO accounts_wolves VALUES ('W2', NULL, NULL, '2027-08-31', 'No', 'Email')");

    MigrationReport report = database.migrate();

    assertThat(members(database))
        .containsExactly("W1|24100001|a@example.com|2027-08-31|Aoife|Murphy");
    assertThat(rows(database, "SELECT id_wolves, reason FROM accounts_wolves_adoption_conflicts"))
        .containsExactly("W2|no email");
    assertThat(report.notes()).anySatisfy(n -> assertThat(n).contains("1 of 2 rows kept"));
    assertThat(
            rows(database, "SELECT sql FROM sqlite_master WHERE name = 'accounts_wolves'").get(0))
        .contains("id_wolves TEXT PRIMARY KEY");
  }

  @Test
  void interimCompositeKeySchemaIsAdoptedAndCollisionsReported() {
    Database database = new Database(TestDatabases.in(dir));
    execute(
        database,
        "CREATE TABLE accounts_wolves (id_wolves TEXT DEFAULT '', id_member TEXT DEFAULT '', id_student TEXT,"
            + " email TEXT NOT NULL, expiry TEXT NOT NULL, name_first TEXT, name_second TEXT,"
            + " PRIMARY KEY (id_wolves, id_member))",
        // a normal row
        "INSERT INTO accounts_wolves VALUES ('W1', 'M1', '24100001', 'a@example.com', '2027-08-31', 'Aoife', 'Murphy')",
        // no Wolves id: its member id becomes the id
        "INSERT INTO accounts_wolves VALUES ('', 'M2', '24100002', 'b@example.com', '2027-08-31', 'Seán', 'Ó Briain')",
        // claims the same id with a Wolves id of its own, so it wins over the row above
        "INSERT INTO accounts_wolves VALUES ('M2', 'M9', '24100009', 'c@example.com', '2026-01-31', 'Zoë', 'Lynch')",
        // same Wolves id twice under two member ids
        "INSERT INTO accounts_wolves VALUES ('W3', 'M3', NULL, 'd@example.com', '2025-08-31', 'Old', 'Row')",
        "INSERT INTO accounts_wolves VALUES ('W3', 'M4', NULL, 'd@example.com', '2027-08-31', 'New', 'Row')",
        // neither id
        "INSERT INTO accounts_wolves VALUES ('', '', NULL, 'e@example.com', '2027-08-31', 'No', 'Id')");

    MigrationReport report = database.migrate();

    assertThat(members(database))
        .containsExactly(
            "M2|24100009|c@example.com|2026-01-31|Zoë|Lynch",
            "W1|24100001|a@example.com|2027-08-31|Aoife|Murphy",
            "W3|null|d@example.com|2027-08-31|New|Row");
    assertThat(
            rows(
                database,
                "SELECT id_wolves, id_member, email, reason FROM accounts_wolves_adoption_conflicts ORDER BY id"))
        .hasSize(3)
        .anySatisfy(
            r ->
                assertThat(r)
                    .startsWith("|M2|b@example.com|id_wolves 'M2' is also held by legacy row"))
        .anySatisfy(
            r -> assertThat(r).startsWith("W3|M3|d@example.com|id_wolves 'W3' is also held"))
        .anySatisfy(r -> assertThat(r).isEqualTo("||e@example.com|no id_wolves and no id_member"));
    // Every legacy row is somewhere: 3 kept + 3 set aside = 6.
    assertThat(report.notes().get(0)).contains("interim", "3 of 6 rows kept", "3 set aside");
    assertThat(report.notes()).hasSize(4);
  }

  @Test
  void rebuildingKeepsOtherTablesForeignKeysAndSetsAsideExpiriesThatAreNotIsoDates() {
    Database database = new Database(TestDatabases.in(dir));
    execute(
        database,
        "CREATE TABLE accounts_wolves (id_wolves PRIMARY KEY, id_student, email, expiry, name_first, name_second)",
        "CREATE TABLE legacy_links (id_wolves TEXT REFERENCES accounts_wolves (id_wolves), username TEXT)",
        "INSERT INTO accounts_wolves VALUES ('W1', NULL, 'a@example.com', '2027-08-31', 'A', 'B')",
        "INSERT INTO accounts_wolves VALUES ('W2', NULL, 'b@example.com', '31/08/2027', 'C', 'D')",
        "INSERT INTO legacy_links VALUES ('W1', 'alice')");

    MigrationReport report = database.migrate();

    assertThat(members(database)).containsExactly("W1|null|a@example.com|2027-08-31|A|B");
    assertThat(rows(database, "SELECT sql FROM sqlite_master WHERE name = 'legacy_links'").get(0))
        .contains("REFERENCES accounts_wolves (id_wolves)")
        .doesNotContain("adopted");
    assertThat(rows(database, "PRAGMA foreign_key_check")).isEmpty();
    assertThat(rows(database, "SELECT id_wolves, reason FROM accounts_wolves_adoption_conflicts"))
        .containsExactly("W2|expiry '31/08/2027' is not a date in the form 2027-08-31");
    assertThat(report.rowsSetAside()).isEqualTo(1);
    assertThat(database.migrate().rowsSetAside()).as("still reported on later runs").isEqualTo(1);
  }

  @Test
  void aLegacyRowPointingAtASetAsideMemberStopsAdoptionWithAClearMessage() {
    Database database = new Database(TestDatabases.in(dir));
    execute(
        database,
        "CREATE TABLE accounts_wolves (id_wolves PRIMARY KEY, id_student, email, expiry, name_first, name_second)",
        "CREATE TABLE legacy_links (id_wolves TEXT REFERENCES accounts_wolves (id_wolves), username TEXT)",
        "INSERT INTO accounts_wolves VALUES ('W2', NULL, NULL, '2027-08-31', 'No', 'Email')",
        "INSERT INTO legacy_links VALUES ('W2', 'bob')");

    org.assertj.core.api.Assertions.assertThatThrownBy(database::migrate)
        .isInstanceOf(DatabaseException.class)
        .hasMessageContaining("legacy_links row 1");
    // Nothing changed: the old table and its row are still there for the operator to fix.
    assertThat(rows(database, "SELECT id_wolves, email FROM accounts_wolves"))
        .containsExactly("W2|null");
  }
}
