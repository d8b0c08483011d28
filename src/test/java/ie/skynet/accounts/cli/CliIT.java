package ie.skynet.accounts.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import ie.skynet.accounts.app.Cli;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.DatabaseSettings;
import ie.skynet.accounts.db.JobLeases;
import ie.skynet.accounts.db.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI contract: output, JSON shape and exit codes (0 ok, 1 failure, 2 usage/config). */
class CliIT {
  @TempDir Path dir;
  Map<String, String> env;

  @BeforeEach
  void setUp() {
    env = Map.of("ACCOUNTS_DATABASE_URL", "jdbc:sqlite:" + dir.resolve("data/accounts.db"));
  }

  @Test
  void importCsvJsonReportsInsertedThenUnchanged() throws Exception {
    Cli.Result first = Cli.run(env, "import-csv", "samples/members.csv", "--json");
    assertThat(first.exit()).as(first.all()).isZero();
    JsonNode json = new ObjectMapper().readTree(first.out());
    assertThat(json.get("status").asText()).isEqualTo("ok");
    assertThat(json.get("inserted").asLong()).isEqualTo(10);
    assertThat(json.get("rejects").isArray()).isTrue();
    assertThat(json.get("runId").asLong()).isPositive();
    assertThat(first.out().strip().lines()).hasSize(1);

    JsonNode second =
        new ObjectMapper()
            .readTree(Cli.run(env, "import-csv", "samples/members.csv", "--json").out());
    assertThat(second.get("unchanged").asLong()).isEqualTo(10);
    assertThat(second.get("inserted").asLong()).isZero();
  }

  @Test
  void rejectedImportExitsOneWithEveryRejectInJson() throws Exception {
    Cli.Result result =
        Cli.run(
            env, "import-csv", "src/test/resources/membership/hostile/many-problems.csv", "--json");
    assertThat(result.exit()).isEqualTo(1);
    JsonNode json = new ObjectMapper().readTree(result.out());
    assertThat(json.get("status").asText()).isEqualTo("rejected");
    assertThat(json.get("rejects")).hasSize(5);
    JsonNode firstReject = json.get("rejects").get(0);
    assertThat(firstReject.get("line").asLong()).isEqualTo(3);
    assertThat(firstReject.get("column").asInt()).isEqualTo(5);
    assertThat(firstReject.get("reason").asText()).contains("not-an-email");
  }

  @Test
  void humanReportNamesTheCounts() {
    Cli.Result result =
        Cli.run(env, "import-csv", "samples/members-excel.csv", "--date-format", "dd/MM/yyyy");
    assertThat(result.exit()).isZero();
    assertThat(result.out())
        .contains("imported", "10 rows read: 10 inserted, 0 updated, 0 unchanged");
  }

  @Test
  void anEmptyDateFormatMeansIsoAsInTheConfiguration() {
    assertThat(Cli.run(env, "import-csv", "samples/members.csv", "--date-format", "").exit())
        .isZero();
  }

  @Test
  void aDryRunLeavesALegacyDatabaseFileByteForByteAlone() throws Exception {
    Path legacy = dir.resolve("legacy.db");
    ie.skynet.accounts.db.TestDatabases.execute(
        new ie.skynet.accounts.db.Database(
            new ie.skynet.accounts.db.DatabaseSettings("jdbc:sqlite:" + legacy)),
        "PRAGMA journal_mode = DELETE",
        "CREATE TABLE accounts_wolves (id_wolves PRIMARY KEY, id_student, email, expiry, name_first, name_second)");
    byte[] before = Files.readAllBytes(legacy);
    Cli.Result dry =
        Cli.run(
            Map.of("ACCOUNTS_DATABASE_URL", "jdbc:sqlite:" + legacy),
            "import-csv",
            "samples/members.csv",
            "--dry-run");
    assertThat(dry.exit()).isEqualTo(1);
    assertThat(Files.readAllBytes(legacy)).isEqualTo(before);
  }

  @Test
  void dryRunWritesNothingNotEvenTheDatabaseFile() throws Exception {
    Cli.Result noDatabase =
        Cli.run(env, "import-csv", "samples/members.csv", "--dry-run", "--json");
    assertThat(noDatabase.exit()).isEqualTo(1);
    JsonNode failure = new ObjectMapper().readTree(noDatabase.out());
    assertThat(failure.get("status").asText()).isEqualTo("failed");
    assertThat(failure.get("message").asText()).contains("run `accounts migrate` first");
    assertThat(dir.resolve("data")).doesNotExist();

    assertThat(Cli.run(env, "migrate").exit()).isZero();
    Cli.Result dry = Cli.run(env, "import-csv", "samples/members.csv", "--dry-run", "--json");
    assertThat(dry.exit()).isZero();
    JsonNode json = new ObjectMapper().readTree(dry.out());
    assertThat(json.get("dryRun").asBoolean()).isTrue();
    assertThat(json.get("inserted").asLong()).isEqualTo(10);
    Cli.Result again = Cli.run(env, "import-csv", "samples/members.csv", "--json");
    assertThat(new ObjectMapper().readTree(again.out()).get("inserted").asLong()).isEqualTo(10);
  }

  @Test
  void housekeepingCountsInADryRunThenRemovesAndRecordsItsRun() throws Exception {
    Cli.Result noDatabase = Cli.run(env, "housekeeping", "--dry-run", "--json");
    assertThat(noDatabase.exit()).isEqualTo(1);
    assertThat(new ObjectMapper().readTree(noDatabase.out()).get("message").asText())
        .contains("run `accounts migrate` first");
    assertThat(dir.resolve("data")).doesNotExist();

    assertThat(Cli.run(env, "migrate").exit()).isZero();
    Database database = new Database(new DatabaseSettings(env.get("ACCOUNTS_DATABASE_URL")));
    LocalDate today = LocalDate.now();
    TestDatabases.execute(
        database,
        "INSERT INTO accounts_wolves VALUES ('W-OLD', NULL, 'old@example.com', '"
            + today.minusYears(2)
            + "', NULL, NULL)",
        "INSERT INTO accounts_wolves VALUES ('W-NEW', NULL, 'new@example.com', '"
            + today.plusYears(1)
            + "', NULL, NULL)");

    Cli.Result dry = Cli.run(env, "housekeeping", "--dry-run", "--json");
    assertThat(dry.exit()).as(dry.all()).isZero();
    JsonNode json = new ObjectMapper().readTree(dry.out());
    assertThat(json.get("status").asText()).isEqualTo("dry-run");
    assertThat(json.get("unlinkedMembers").asInt()).isEqualTo(1);
    assertThat(json.get("total").asInt()).isEqualTo(1);
    assertThat(TestDatabases.members(database)).hasSize(2);

    Cli.Result done = Cli.run(env, "housekeeping");
    assertThat(done.exit()).as(done.all()).isZero();
    assertThat(done.out()).startsWith("removed 1 unlinked members, 0 sessions");
    assertThat(TestDatabases.members(database)).singleElement().asString().startsWith("W-NEW");
    Optional<JobLeases.LastRun> last =
        database.withConnection("reading", c -> JobLeases.last(c, "housekeeping"));
    assertThat(last).hasValueSatisfying(run -> assertThat(run.outcome()).isEqualTo("done"));
  }

  @Test
  void missingFileFailsWithExitOne() {
    Cli.Result result = Cli.run(env, "import-csv", dir.resolve("nope.csv").toString());
    assertThat(result.exit()).isEqualTo(1);
    assertThat(result.out()).contains("no such file");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(Cli.run(env, "import-csv").exit()).isEqualTo(2);
    assertThat(Cli.run(env, "import-csv", "x.csv", "--no-such-option").exit()).isEqualTo(2);
    assertThat(Cli.run(env, "no-such-command").exit()).isEqualTo(2);
    Cli.Result badPattern =
        Cli.run(env, "import-csv", "samples/members.csv", "--date-format", "dd/MM/yyyyq{");
    assertThat(badPattern.exit()).isEqualTo(2);
    assertThat(badPattern.err()).contains("--date-format", "expected a date pattern");
  }

  @Test
  void badConfigurationListsEveryProblemAndExitsTwo() throws Exception {
    Path conf =
        Files.writeString(
            dir.resolve("bad.conf"),
            "database.url=postgres://x\nimport.expiry-guard=lots\nimprot.column.id=ID\n");
    Cli.Result result =
        Cli.run(Map.of("ACCOUNTS_NOPE", "1"), "--config", conf.toString(), "migrate");
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err())
        .contains(
            "4 problems",
            "database.url",
            "import.expiry-guard",
            "improt.column.id",
            "ACCOUNTS_NOPE");
  }

  @Test
  void helpExitsZeroAndMigrateReportsTheSchema() {
    assertThat(Cli.run(env, "--help").exit()).isZero();
    assertThat(Cli.run(env, "import-csv", "--help").out())
        .contains("--dry-run", "--date-format", "--force", "--json");
    Cli.Result migrate = Cli.run(env, "migrate");
    assertThat(migrate.exit()).isZero();
    assertThat(migrate.out())
        .containsPattern(
            "from schema version none to \\d+: 1 AdoptAccountsWolves, 2 import history");
    assertThat(Cli.run(env, "migrate").out())
        .containsPattern("up to date \\(schema version \\d+\\)");
  }

  @Test
  void outboxListsMailAndQueuesFailedMailAgain() throws Exception {
    assertThat(Cli.run(env, "migrate").exit()).isZero();
    assertThat(Cli.run(env, "outbox", "list").out()).contains("no mail");
    ie.skynet.accounts.db.TestDatabases.execute(
        new ie.skynet.accounts.db.Database(
            new ie.skynet.accounts.db.DatabaseSettings(env.get("ACCOUNTS_DATABASE_URL"))),
        "INSERT INTO mail_outbox (recipient, template, subject, body_text, status, attempts,"
            + " next_attempt_at, last_error, created_at) VALUES ('a@example.com', 'welcome', 'Hi',"
            + " 'secret link', 'failed', 3, '2026-11-26T12:00:00Z', '554 rejected',"
            + " '2026-11-26T12:00:00Z')");

    Cli.Result list = Cli.run(env, "outbox", "list", "--status", "failed", "--json");
    assertThat(list.exit()).isZero();
    JsonNode mail = new ObjectMapper().readTree(list.out()).get(0);
    assertThat(mail.get("status").asText()).isEqualTo("failed");
    assertThat(mail.get("lastError").asText()).isEqualTo("554 rejected");
    assertThat(list.out()).doesNotContain("secret link");

    assertThat(Cli.run(env, "outbox", "resend").exit()).isEqualTo(2);
    Cli.Result resend = Cli.run(env, "outbox", "resend", "--all-failed");
    assertThat(resend.out()).contains("queued 1 failed mail again");
    assertThat(Cli.run(env, "outbox", "list", "--status", "PENDING").out())
        .contains("welcome", "a@example.com");
    Cli.Result notFailed = Cli.run(env, "outbox", "resend", "1");
    assertThat(notFailed.exit()).as("no longer failed").isEqualTo(1);
    assertThat(notFailed.out()).contains("only failed mail can be resent");
  }

  /** The configuration's database, and a mail server on this port. */
  private Map<String, String> withSmtp(int port) {
    return Map.of(
        "ACCOUNTS_DATABASE_URL",
        env.get("ACCOUNTS_DATABASE_URL"),
        "ACCOUNTS_SMTP_HOST",
        "127.0.0.1",
        "ACCOUNTS_SMTP_PORT",
        Integer.toString(port),
        "ACCOUNTS_SMTP_TIMEOUT_SECONDS",
        "2");
  }

  @Test
  void outboxSendFlushesDueMailThroughTheConfiguredServerAndSaysWhatIsLeft() throws Exception {
    assertThat(Cli.run(env, "migrate").exit()).isZero();
    // The command runs on the machine's clock: the mail is dated by it, an hour ago.
    String anHourAgo =
        java.time.Instant.now()
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            .minusSeconds(3600)
            .toString();
    ie.skynet.accounts.db.TestDatabases.execute(
        new ie.skynet.accounts.db.Database(
            new ie.skynet.accounts.db.DatabaseSettings(env.get("ACCOUNTS_DATABASE_URL"))),
        "INSERT INTO mail_outbox (recipient, template, subject, body_text, status, next_attempt_at,"
            + " created_at) VALUES ('a@example.com', 'welcome', 'Hi', 'Welcome!', 'pending',"
            + " '"
            + anHourAgo
            + "', '"
            + anHourAgo
            + "')");

    try (ie.skynet.accounts.RefusingPort down = new ie.skynet.accounts.RefusingPort()) {
      Cli.Result result = Cli.run(withSmtp(down.port()), "outbox", "send");
      assertThat(result.exit()).as(result.all()).isEqualTo(1);
      assertThat(result.out())
          .contains("sent 0; now 1 pending (1 retrying after an error), 0 failed");
    }

    // The server is up, on a port of its own choosing; the configuration names it.
    com.icegreen.greenmail.util.GreenMail smtp =
        new com.icegreen.greenmail.util.GreenMail(
            new com.icegreen.greenmail.util.ServerSetup(0, "127.0.0.1", "smtp"));
    smtp.start();
    try {
      ie.skynet.accounts.db.TestDatabases.execute(
          new ie.skynet.accounts.db.Database(
              new ie.skynet.accounts.db.DatabaseSettings(env.get("ACCOUNTS_DATABASE_URL"))),
          "UPDATE mail_outbox SET next_attempt_at = '" + anHourAgo + "'"); // due again now
      Cli.Result up = Cli.run(withSmtp(smtp.getSmtp().getPort()), "outbox", "send");
      assertThat(up.exit()).as(up.all()).isZero();
      assertThat(up.out()).contains("sent 1; now 0 pending");
      assertThat(smtp.getReceivedMessages()).hasSize(1);
    } finally {
      smtp.stop();
    }
  }

  @Test
  void badMailSettingsAreListedWithTheConfigurationProblems() {
    Cli.Result result =
        Cli.run(
            Map.of(
                "ACCOUNTS_SMTP_PORT", "99999",
                "ACCOUNTS_SMTP_SECURITY", "tls",
                "ACCOUNTS_SMTP_USERNAME", "accounts",
                "ACCOUNTS_SMTP_FROM", "not an address"),
            "outbox",
            "send");
    assertThat(result.exit()).isEqualTo(2);
    assertThat(result.err())
        .contains("4 problems")
        .contains("smtp.port: expected a whole number from 1 to 65535, found '99999'")
        .contains("smtp.security: expected starttls, smtps or none, found 'tls'")
        .contains("expected smtp.username and smtp.password together, or neither")
        .contains("smtp.from: expected an address");
  }
}
