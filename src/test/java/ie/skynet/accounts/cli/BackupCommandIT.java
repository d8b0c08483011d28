package ie.skynet.accounts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ie.skynet.accounts.app.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code accounts backup}, run in-process as Main runs it, and the restore it documents. */
class BackupCommandIT {
  @TempDir Path dir;
  Map<String, String> env;
  Path database;

  @BeforeEach
  void setUp() {
    database = dir.resolve("data/accounts.db");
    env = Map.of("ACCOUNTS_DATABASE_URL", "jdbc:sqlite:" + database);
  }

  @Test
  void backsUpTheMembersAndSaysWhatTheCopyHolds() {
    assertThat(Cli.run(env, "import-csv", "samples/members.csv").exit()).isZero();
    Path backup = dir.resolve("backup.db");
    Cli.Result result = Cli.run(env, "backup", backup.toString());
    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.out())
        .contains(backup.toString(), "integrity ok", "10 members")
        .containsPattern("schema version \\d+");
    assertThat(backup).isRegularFile();
  }

  @Test
  void jsonReportsTheCheckAndTheCounts() throws Exception {
    assertThat(Cli.run(env, "import-csv", "samples/members.csv").exit()).isZero();
    Path backup = dir.resolve("backup.db");
    Cli.Result result = Cli.run(env, "backup", backup.toString(), "--json");
    assertThat(result.exit()).as(result.all()).isZero();
    assertThat(result.out().strip().lines()).hasSize(1);
    JsonNode json = new ObjectMapper().readTree(result.out());
    assertThat(json.get("status").asText()).isEqualTo("ok");
    assertThat(json.get("file").asText()).isEqualTo(backup.toString());
    assertThat(json.get("integrity").asText()).isEqualTo("ok");
    assertThat(json.get("members").asLong()).isEqualTo(10);
    assertThat(json.get("schemaVersion").asText()).matches("\\d+");
    assertThat(json.get("bytes").asLong()).isEqualTo(Files.size(backup));
  }

  @Test
  void refusesToOverwriteABackupUnlessForced() throws Exception {
    assertThat(Cli.run(env, "migrate").exit()).isZero();
    Path backup = Files.writeString(dir.resolve("backup.db"), "last night's backup");
    Cli.Result refused = Cli.run(env, "backup", backup.toString());
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains(backup.toString(), "already exists", "--force");
    assertThat(Files.readString(backup)).isEqualTo("last night's backup");

    Cli.Result json = Cli.run(env, "backup", backup.toString(), "--json");
    assertThat(json.exit()).isEqualTo(1);
    assertThat(new ObjectMapper().readTree(json.out()).get("status").asText()).isEqualTo("failed");

    Cli.Result forced = Cli.run(env, "backup", backup.toString(), "--force");
    assertThat(forced.exit()).as(forced.all()).isZero();
    assertThat(Files.readString(backup, java.nio.charset.StandardCharsets.ISO_8859_1))
        .startsWith("SQLite format 3");
  }

  @Test
  void aMissingDirectoryIsAClearFailure() throws Exception {
    assertThat(Cli.run(env, "migrate").exit()).isZero();
    Path backup = dir.resolve("no-such-dir/backup.db");
    Cli.Result result = Cli.run(env, "backup", backup.toString());
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err())
        .contains(
            "cannot write the backup " + backup, dir.resolve("no-such-dir") + " does not exist");
    assertThat(dir.resolve("no-such-dir")).doesNotExist();
  }

  @Test
  void noDatabaseIsAFailureAndCreatesNone() {
    Cli.Result result = Cli.run(env, "backup", dir.resolve("backup.db").toString());
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.err()).contains("there is no database at " + database);
    assertThat(dir.resolve("data")).doesNotExist();
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(Cli.run(env, "backup").exit()).isEqualTo(2);
    assertThat(Cli.run(env, "backup", "x.db", "--no-such-option").exit()).isEqualTo(2);
    assertThat(Cli.run(env, "backup", "--help").out()).contains("--force", "--json", "restore");
  }

  @Test
  void restoringByCopyingThenMigrateGivesTheServiceTheBackedUpMembers() throws Exception {
    assertThat(Cli.run(env, "import-csv", "samples/members.csv").exit()).isZero();
    Path backup = dir.resolve("backup.db");
    assertThat(Cli.run(env, "backup", backup.toString()).exit()).isZero();
    // Everything lost after the backup...
    Files.delete(database);
    Files.deleteIfExists(Path.of(database + "-wal"));
    Files.deleteIfExists(Path.of(database + "-shm"));
    assertThat(Cli.run(env, "migrate").exit()).isZero();
    assertThat(Cli.run(env, "backup", dir.resolve("empty.db").toString()).out())
        .contains("0 members");

    // ...and the documented restore: service stopped, copy over, -wal and -shm removed, migrate.
    Files.copy(backup, database, StandardCopyOption.REPLACE_EXISTING);
    Files.deleteIfExists(Path.of(database + "-wal"));
    Files.deleteIfExists(Path.of(database + "-shm"));
    Cli.Result migrate = Cli.run(env, "migrate");
    assertThat(migrate.exit()).as(migrate.all()).isZero();
    assertThat(migrate.out()).contains("up to date");
    Cli.Result again = Cli.run(env, "import-csv", "samples/members.csv", "--json");
    JsonNode json = new ObjectMapper().readTree(again.out());
    assertThat(json.get("unchanged").asLong()).as("the members came back").isEqualTo(10);
  }
}
