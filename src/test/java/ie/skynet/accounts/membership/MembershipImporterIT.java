package ie.skynet.accounts.membership;

import static ie.skynet.accounts.db.TestDatabases.members;
import static ie.skynet.accounts.db.TestDatabases.rows;
import static ie.skynet.accounts.membership.Imports.CLOCK;
import static ie.skynet.accounts.membership.Imports.DEFAULT;
import static ie.skynet.accounts.membership.Imports.HEADER;
import static ie.skynet.accounts.membership.Imports.SAMPLE;
import static ie.skynet.accounts.membership.Imports.SAMPLE_EXCEL;
import static ie.skynet.accounts.membership.Imports.SETTINGS;
import static ie.skynet.accounts.membership.Imports.row;
import static ie.skynet.accounts.membership.Imports.write;
import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MembershipImporterIT {
  @TempDir Path dir;
  Database database;
  MembershipImporter importer;

  @BeforeEach
  void setUp() {
    database = TestDatabases.migrated(dir);
    importer = new MembershipImporter(database, SETTINGS, CLOCK, new SimpleMeterRegistry());
  }

  @Test
  void sampleExportImportsAsIsThenReimportsUnchanged() {
    ImportReport first = importer.importCsv(SAMPLE, DEFAULT);
    assertThat(first.status()).isEqualTo(ImportStatus.OK);
    assertThat(first.rowsRead()).isEqualTo(10);
    assertThat(first.inserted()).isEqualTo(10);
    assertThat(first.updated() + first.unchanged() + first.skipped() + first.rejected()).isZero();
    assertThat(members(database))
        .contains(
            "W200002|24100002|sean.obriain@example.com|2027-08-31|Seán|Ó Briain",
            "W200003|24100003|Niamh.ONeill@Example.com|2027-08-31|Niamh|O'Neill",
            "W200004|null|ciaran.mgp@example.org|2027-08-31|Ciarán|Mac Giolla Phádraig");

    ImportReport second = importer.importCsv(SAMPLE, DEFAULT);
    assertThat(second.status()).isEqualTo(ImportStatus.OK);
    assertThat(second.unchanged()).isEqualTo(10);
    assertThat(second.inserted() + second.updated()).isZero();
    assertThat(second.sha256()).isEqualTo(first.sha256()).hasSize(64);
  }

  @Test
  void excelExportNeedsItsDateFormatAndThenMatchesTheIsoExport() {
    ImportReport withoutFormat = importer.importCsv(SAMPLE_EXCEL, DEFAULT);
    assertThat(withoutFormat.status()).isEqualTo(ImportStatus.REJECTED);
    assertThat(withoutFormat.rejected()).isEqualTo(10);
    assertThat(members(database)).isEmpty();

    ImportReport excel =
        importer.importCsv(SAMPLE_EXCEL, new ImportOptions(false, false, "dd/MM/yyyy"));
    assertThat(excel.status()).isEqualTo(ImportStatus.OK);
    assertThat(excel.inserted()).isEqualTo(10);
    // The same members as the ISO export: re-importing that one changes nothing.
    assertThat(importer.importCsv(SAMPLE, DEFAULT).unchanged()).isEqualTo(10);
  }

  @Test
  void configuredDateFormatAppliesWhenNoOptionIsGiven() {
    var dayFirst =
        new MembershipImporter(
            database,
            new ImportSettings(CsvColumns.WOLVES_DEFAULTS, "dd/MM/yyyy", 0.1),
            CLOCK,
            new SimpleMeterRegistry());
    assertThat(dayFirst.importCsv(SAMPLE_EXCEL, DEFAULT).inserted()).isEqualTo(10);
  }

  @Test
  void changedRowsCountAsUpdatedAndOthersAsUnchanged() {
    importer.importCsv(SAMPLE, DEFAULT);
    Path changed =
        write(
            dir,
            "changed.csv",
            HEADER
                + "W200001,24100001,Aoife,Murphy,aoife.new@example.com,2027-08-31,Student\r\n"
                + "W200002,24100002,Seán,Ó Briain,sean.obriain@example.com,2028-08-31,Student\r\n"
                + "W200003,24100003,Niamh,O'Neill,Niamh.ONeill@Example.com,2027-08-31,Student\r\n"
                + row("W200099", "new.member@example.com", "2027-08-31"));
    ImportReport report = importer.importCsv(changed, DEFAULT);
    assertThat(report.status()).isEqualTo(ImportStatus.OK);
    assertThat(List.of(report.inserted(), report.updated(), report.unchanged()))
        .containsExactly(1L, 2L, 1L);
    // Members missing from the file are kept: they lapse by their own expiry date.
    assertThat(members(database)).hasSize(11);
  }

  @Test
  void oneBadRowAtTheEndLeavesTheDatabaseExactlyAsItWas() {
    importer.importCsv(SAMPLE, DEFAULT);
    List<String> before = members(database);
    StringBuilder file = new StringBuilder(HEADER);
    for (int i = 0; i < 3000; i++) { // several write batches before the bad row
      file.append(row("W5" + String.format("%05d", i), "m" + i + "@example.com", "2027-08-31"));
    }
    file.append("W200001,24100001,Aoife,Murphy,changed@example.com,2027-08-31,Student\r\n");
    file.append(row("W599999", "last@example.com", "2027-02-30"));
    ImportReport report = importer.importCsv(write(dir, "bad-end.csv", file.toString()), DEFAULT);

    assertThat(report.status()).isEqualTo(ImportStatus.REJECTED);
    assertThat(report.rejects())
        .extracting(Reject::line, Reject::column)
        .containsExactly(org.assertj.core.api.Assertions.tuple(3003L, 6));
    assertThat(report.inserted() + report.updated()).isZero();
    assertThat(members(database)).isEqualTo(before);
  }

  @Test
  void headerColumnsAreFoundByNameInAnyOrderAndCase() {
    Path file =
        write(
            dir,
            "reordered.csv",
            "\uFEFFexpiry, contact email ,Notes,LAST NAME,first name,member id,student number\n"
                + "2027-08-31,a@example.com,\"likes \"\"Linux\"\", tea\",\"Ní Bhriain\",Orla,0042,0012345\n");
    ImportReport report = importer.importCsv(file, DEFAULT);
    assertThat(report.status()).as(report.rejects().toString()).isEqualTo(ImportStatus.OK);
    // Leading zeros survive: IDs are text.
    assertThat(members(database))
        .containsExactly("0042|0012345|a@example.com|2027-08-31|Orla|Ní Bhriain");
  }

  @Test
  void blankRowsAreSkippedAndCounted() {
    Path file =
        write(
            dir,
            "blank.csv",
            HEADER
                + row("W1", "a@example.com", "2027-08-31")
                + "\r\n,,,,,,\r\n"
                + row("W2", "b@example.com", "2027-08-31"));
    ImportReport report = importer.importCsv(file, DEFAULT);
    assertThat(List.of(report.rowsRead(), report.inserted(), report.skipped()))
        .containsExactly(4L, 2L, 2L);
  }

  @Test
  void multiLineQuotedFieldsKeepLaterLineNumbersRight() {
    Path file =
        write(
            dir,
            "multiline.csv",
            HEADER
                + "W1,241,\"Multi\nLine\",X,a@example.com,2027-08-31,Student\r\n"
                + row("W2", "b@example.com", "2027-02-31"));
    ImportReport report = importer.importCsv(file, DEFAULT);
    assertThat(report.rejects())
        .extracting(Reject::describe)
        .containsExactly(
            "line 2, column 3 (First Name): contains the control character U+000A at character 6; expected plain text on one line",
            "line 4, column 6 (Expiry): expected a date like 2027-08-31 (yyyy-MM-dd; use --date-format for other layouts, e.g. dd/MM/yyyy), with a year from 2000 to 2199, found \"2027-02-31\"");
  }

  @Test
  void guardRefusesAnImportThatLapsesTooManyCurrentMembersUnlessForced() {
    importer.importCsv(SAMPLE, DEFAULT); // 8 current members on the test's today
    List<String> before = members(database);
    Path lapsing =
        write(
            dir,
            "lapsing.csv",
            HEADER
                + "W200001,24100001,Aoife,Murphy,aoife.murphy@example.com,2026-08-31,Student\r\n"
                + "W200002,24100002,Seán,Ó Briain,sean.obriain@example.com,2026-08-31,Student\r\n");

    ImportReport refused = importer.importCsv(lapsing, DEFAULT);
    assertThat(refused.status()).isEqualTo(ImportStatus.FAILED);
    assertThat(refused.message()).contains("2 of 8 current members (25%)", "--force");
    assertThat(refused.inserted() + refused.updated()).isZero();
    assertThat(members(database)).isEqualTo(before);

    ImportReport forced = importer.importCsv(lapsing, new ImportOptions(false, true, null));
    assertThat(forced.status()).isEqualTo(ImportStatus.OK);
    assertThat(forced.updated()).isEqualTo(2);
    assertThat(forced.message()).contains("2 current members now lapsed");
  }

  /**
   * The members current before an import are worked out from the triggers' counts, not counted
   * first: renewals and new current members in the same file must not inflate them.
   */
  @Test
  void guardCountsTheMembersCurrentBeforeWhenTheSameImportRenewsAndAddsOthers() {
    importer.importCsv(SAMPLE, DEFAULT); // 8 current, W200005 and W200009 expired
    Path mixed =
        write(
            dir,
            "mixed.csv",
            HEADER
                + row("W200001", "aoife.murphy@example.com", "2026-08-31") // lapses
                + row("W200002", "sean.obriain@example.com", "2026-08-31") // lapses
                + row("W200005", "roisin.walsh@example.com", "2027-08-31") // renews
                + row("W200009", "zoe.lynch@example.com", "2027-08-31") // renews
                + row("W300001", "new.one@example.com", "2027-08-31") // new, current
                + row("W300002", "new.two@example.com", "2027-08-31") // new, current
                + row("W300003", "new.three@example.com", "2025-01-01")); // new, expired

    ImportReport refused = importer.importCsv(mixed, DEFAULT);
    assertThat(refused.status()).isEqualTo(ImportStatus.FAILED);
    assertThat(refused.message()).contains("would move 2 of 8 current members (25%)");

    ImportReport forced = importer.importCsv(mixed, new ImportOptions(false, true, null));
    assertThat(forced.status()).isEqualTo(ImportStatus.OK);
    assertThat(forced.inserted()).isEqualTo(3);
    assertThat(forced.updated()).isEqualTo(4);
    // Back to the sample: W200001 and W200002 current again, W200005 and W200009 lapse, and the
    // three new members, not in the file, stay as they are: 10 current before.
    assertThat(importer.importCsv(SAMPLE, DEFAULT).message())
        .contains("would move 2 of 10 current members (20%)");
  }

  @Test
  void guardAllowsLapsesWithinTheConfiguredShare() {
    importer.importCsv(SAMPLE, DEFAULT);
    Path oneLapse =
        write(
            dir,
            "one.csv",
            HEADER
                + "W200001,24100001,Aoife,Murphy,aoife.murphy@example.com,2026-08-31,Student\r\n");
    var lenient =
        new MembershipImporter(
            database,
            new ImportSettings(CsvColumns.WOLVES_DEFAULTS, null, 0.2),
            CLOCK,
            new SimpleMeterRegistry());
    assertThat(lenient.importCsv(oneLapse, DEFAULT).status()).isEqualTo(ImportStatus.OK); // 1 of 8
  }

  @Test
  void dryRunAppliesTheGuardToo() {
    importer.importCsv(SAMPLE, DEFAULT);
    Path lapsing =
        write(
            dir,
            "lapsing.csv",
            HEADER
                + row("W200001", "aoife.murphy@example.com", "2026-08-31")
                + row("W200002", "s@example.com", "2026-08-31"));
    ImportReport dry = importer.importCsv(lapsing, new ImportOptions(true, false, null));
    assertThat(dry.status()).isEqualTo(ImportStatus.FAILED);
    assertThat(dry.message()).contains("refused");
  }

  @Test
  void oldMacLineEndingsImportWithTheirLineNumbers() {
    Path crOnly =
        write(
            dir,
            "cr.csv",
            (HEADER
                    + row("W1", "a@example.com", "2027-08-31")
                    + row("W2", "b@example.com", "2027-02-31"))
                .replace("\r\n", "\r"));
    ImportReport report = importer.importCsv(crOnly, DEFAULT);
    assertThat(report.rejects())
        .extracting(Reject::line, Reject::column)
        .containsExactly(org.assertj.core.api.Assertions.tuple(3L, 6));
    Path fixed =
        write(
            dir,
            "cr-ok.csv",
            (HEADER + row("W1", "a@example.com", "2027-08-31")).replace("\r\n", "\r"));
    assertThat(importer.importCsv(fixed, DEFAULT).inserted()).isEqualTo(1);
  }

  @Test
  void dryRunCountsButWritesNothingNotEvenHistory() {
    ImportReport report = importer.importCsv(SAMPLE, new ImportOptions(true, false, null));
    assertThat(report.status()).isEqualTo(ImportStatus.OK);
    assertThat(report.inserted()).isEqualTo(10);
    assertThat(report.runId()).isNull();
    assertThat(members(database)).isEmpty();
    assertThat(rows(database, "SELECT count(*) FROM import_runs")).containsExactly("0");
  }

  @Test
  void everyRunIsRecordedWithItsOutcomeAndRejects() {
    importer.importCsv(SAMPLE, DEFAULT);
    importer.importCsv(Imports.HOSTILE.resolve("many-problems.csv"), DEFAULT);
    importer.importCsv(dir.resolve("missing.csv"), DEFAULT);

    assertThat(
            rows(
                database,
                "SELECT status, rows_read, inserted, rejected, finished_at IS NOT NULL, sha256 IS NOT NULL FROM import_runs ORDER BY id"))
        .containsExactly("ok|10|10|0|1|1", "rejected|6|0|4|1|1", "failed|0|0|0|1|0");
    assertThat(
            rows(
                database,
                "SELECT line, column_no, field FROM import_rejects WHERE run_id = 2 ORDER BY rowid"))
        .containsExactly(
            "3|5|Contact Email",
            "4|2|Student Number",
            "4|6|Expiry",
            "5|1|Member ID",
            "6|1|Member ID");
    assertThat(rows(database, "SELECT message FROM import_runs WHERE id = 3").get(0))
        .contains("missing.csv", "no such file");
    // Each run is in the audit trail too, beside the changes to accounts.
    assertThat(rows(database, "SELECT actor, action, outcome FROM audit_log ORDER BY id"))
        .containsExactly(
            "import-csv|import|done", "import-csv|import|refused", "import-csv|import|refused");
    assertThat(rows(database, "SELECT detail FROM audit_log ORDER BY id").get(1))
        .contains("(run 2): 6 rows, 0 inserted, 0 updated, 4 rejected");
  }

  @Test
  void emailsKeepTheirCaseButAreIndexedCaseInsensitively() {
    importer.importCsv(SAMPLE, DEFAULT);
    assertThat(
            rows(
                database,
                "SELECT id_wolves FROM accounts_wolves WHERE lower(email) = lower('NIAMH.oneill@example.COM')"))
        .containsExactly("W200003");
    assertThat(
            rows(
                    database,
                    "EXPLAIN QUERY PLAN SELECT id_wolves FROM accounts_wolves WHERE lower(email) = 'x'")
                .toString())
        .contains("accounts_wolves_email");
  }

  @Test
  void emailIndexIsRebuiltAfterALoadIntoAnEmptyTableAndKeptOnRollback() {
    importer.importCsv(Imports.HOSTILE.resolve("many-problems.csv"), DEFAULT); // rolled back
    assertThat(
            rows(
                database,
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'accounts_wolves_email'"))
        .hasSize(1);
    importer.importCsv(SAMPLE, DEFAULT);
    assertThat(
            rows(
                database,
                "SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'accounts_wolves_email'"))
        .hasSize(1);
  }

  @Test
  void aDatabaseFailureHalfWayRollsEverythingBackAndIsRecorded() {
    importer.importCsv(SAMPLE, DEFAULT);
    List<String> before = members(database);
    // A real fault from the real database, half-way through a file larger than one write batch.
    TestDatabases.execute(
        database,
        "CREATE TRIGGER fault BEFORE INSERT ON accounts_wolves WHEN new.id_wolves = 'W502000'"
            + " BEGIN SELECT RAISE(ABORT, 'injected fault'); END");
    StringBuilder file = new StringBuilder(HEADER);
    for (int i = 0; i < 3000; i++) {
      file.append(row("W5" + String.format("%05d", i), "m" + i + "@example.com", "2027-08-31"));
    }
    ImportReport report = importer.importCsv(write(dir, "fault.csv", file.toString()), DEFAULT);

    assertThat(report.status()).isEqualTo(ImportStatus.FAILED);
    assertThat(report.message()).contains("database error, nothing was written", "injected fault");
    assertThat(members(database)).isEqualTo(before);
    assertThat(rows(database, "SELECT status FROM import_runs ORDER BY id DESC LIMIT 1"))
        .containsExactly("failed");
  }
}
