package ie.skynet.accounts.membership;

import static ie.skynet.accounts.db.TestDatabases.members;
import static ie.skynet.accounts.db.TestDatabases.rows;
import static ie.skynet.accounts.membership.Imports.CLOCK;
import static ie.skynet.accounts.membership.Imports.DEFAULT;
import static ie.skynet.accounts.membership.Imports.SAMPLE;
import static ie.skynet.accounts.membership.Imports.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.membership.WolvesStub.Answer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sync-wolves}'s source and its way through the import core, against a Wolves API stub on
 * loopback: real HTTP, a real SQLite file; only the wait between retries is recorded, not slept.
 */
class WolvesSyncIT {
  @TempDir Path dir;
  Database database;
  MembershipImporter importer;
  WolvesStub stub;
  final List<Duration> pauses = new ArrayList<>();

  @BeforeEach
  void setUp() {
    database = TestDatabases.migrated(dir);
    importer = new MembershipImporter(database, SETTINGS, CLOCK, new SimpleMeterRegistry());
    stub = WolvesStub.start();
  }

  @AfterEach
  void tearDown() {
    stub.close();
  }

  private ImportReport sync(WolvesApiSettings settings, ImportOptions options) {
    return importer.importWolves(new WolvesApi(settings, pauses::add), options);
  }

  private ImportReport sync() {
    return sync(stub.settings(500), DEFAULT);
  }

  @Test
  void theSampleListImportsWithTheKeyInItsHeaderAndIsRecordedByItsUrl() {
    ImportReport report = sync();

    assertThat(report.status()).as(report.message()).isEqualTo(ImportStatus.OK);
    assertThat(report.rowsRead()).isEqualTo(10);
    assertThat(report.inserted()).isEqualTo(10);
    assertThat(report.file()).isEqualTo(stub.url().toString());
    assertThat(report.sha256()).hasSize(64);
    assertThat(members(database))
        .hasSize(10)
        .contains(
            "W200002|24100002|sean.obriain@example.com|2027-08-31|Seán|Ó Briain",
            "W200004|null|ciaran.mgp@example.org|2027-08-31|Ciarán|Mac Giolla Phádraig");
    assertThat(stub.requests())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.method()).isEqualTo("POST");
              assertThat(r.key()).isEqualTo(WolvesStub.KEY);
              assertThat(r.parameters())
                  .containsEntry("page", "1")
                  .containsEntry("page_size", "500");
            });
    // The history names the source and the URL without its query; the key appears nowhere.
    assertThat(
            rows(
                database, "SELECT source, file_name, status, rows_read, inserted FROM import_runs"))
        .containsExactly("wolves-api|" + stub.url() + "|ok|10|10");
    assertThat(rows(database, "SELECT actor, action, outcome, detail FROM audit_log"))
        .singleElement()
        .satisfies(
            entry ->
                assertThat(entry)
                    .startsWith("sync-wolves|import|done|")
                    .contains("10 inserted")
                    .doesNotContain(WolvesStub.KEY));
    assertThat(String.join("\n", rows(database, "SELECT * FROM import_runs")))
        .doesNotContain(WolvesStub.KEY)
        .doesNotContain("page_size");
  }

  @Test
  void theApiAndTheCsvExportAreTheSameMembers() {
    assertThat(importer.importCsv(SAMPLE, DEFAULT).inserted()).isEqualTo(10);

    ImportReport report = sync();

    assertThat(report.status()).isEqualTo(ImportStatus.OK);
    assertThat(report.unchanged()).isEqualTo(10);
    assertThat(report.inserted() + report.updated()).isZero();
  }

  @Test
  void threePagesAreReadInOrderAndImportedTogether() {
    stub.otherwise(WolvesStub.paged(WolvesStub.sampleMembers()));

    ImportReport report = sync(stub.settings(4), DEFAULT);

    assertThat(report.status()).as(report.message()).isEqualTo(ImportStatus.OK);
    assertThat(report.inserted()).isEqualTo(10);
    assertThat(stub.requests())
        .extracting(r -> r.parameters().get("page") + "/" + r.parameters().get("page_size"))
        .containsExactly("1/4", "2/4", "3/4");
  }

  @Test
  void aListThatChangesBetweenPagesImportsNothing() {
    List<JsonNode> members = WolvesStub.sampleMembers();
    stub.then(
        Answer.ok(WolvesStub.envelope(members.subList(0, 4), 3)),
        Answer.ok(WolvesStub.envelope(members.subList(4, 8), 4)));

    ImportReport report = sync(stub.settings(4), DEFAULT);

    assertThat(report.status()).isEqualTo(ImportStatus.FAILED);
    assertThat(report.message())
        .contains("the list changed while it was read: page 1 said 3 pages, page 2 says 4");
    assertThat(members(database)).isEmpty();
  }

  @Test
  void aRefusedKeyIsNamedByItsFileNeverRetriedAndImportsNothing() {
    WolvesApiSettings wrongKey =
        new WolvesApiSettings(
            stub.url(),
            "POST",
            "X-AM-Identity",
            "not-the-key",
            "/etc/skynet-accounts/wolves-key",
            WolvesApiSettings.Fields.WOLVES_DEFAULTS,
            500,
            Duration.ofSeconds(5),
            3);

    ImportReport report = sync(wrongKey, DEFAULT);

    assertThat(report.status()).isEqualTo(ImportStatus.FAILED);
    assertThat(report.message())
        .contains("the Wolves API refused the key from /etc/skynet-accounts/wolves-key (HTTP 401")
        .contains("nothing was imported")
        .doesNotContain("not-the-key");
    assertThat(stub.requests()).hasSize(1);
    assertThat(pauses).isEmpty();
    assertThat(members(database)).isEmpty();
    assertThat(rows(database, "SELECT source, status FROM import_runs"))
        .containsExactly("wolves-api|failed");
  }

  @Test
  void aServerErrorIsRetriedAfterABackoffAndThenTheListImports() {
    stub.then(new Answer(500, "oops"), new Answer(503, ""));

    ImportReport report = sync();

    assertThat(report.status()).as(report.message()).isEqualTo(ImportStatus.OK);
    assertThat(report.inserted()).isEqualTo(10);
    assertThat(stub.requests()).hasSize(3);
    assertThat(pauses).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void aServerFailingEveryRetryImportsNothingAndSaysHowOftenItWasAsked() {
    stub.otherwise(request -> new Answer(502, "bad gateway"));

    ImportReport report = sync();

    assertThat(report.status()).isEqualTo(ImportStatus.FAILED);
    assertThat(report.message())
        .contains("no usable answer for page 1", "after 4 attempts", "HTTP 502");
    assertThat(pauses)
        .containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4));
    assertThat(members(database)).isEmpty();
  }

  @Test
  void anAnswerThatStallsMidBodyTimesOutAndIsAskedAgain() {
    WolvesApiSettings quick =
        new WolvesApiSettings(
            stub.url(),
            "POST",
            "X-AM-Identity",
            WolvesStub.KEY,
            "/etc/skynet-accounts/wolves-key",
            WolvesApiSettings.Fields.WOLVES_DEFAULTS,
            500,
            Duration.ofSeconds(1),
            1);
    stub.then(Answer.stalled());

    ImportReport report = sync(quick, DEFAULT);

    assertThat(report.status()).as(report.message()).isEqualTo(ImportStatus.OK);
    assertThat(report.inserted()).isEqualTo(10);
    assertThat(stub.requests()).hasSize(2);
    assertThat(pauses).containsExactly(Duration.ofSeconds(1));

    stub.then(Answer.stalled(), Answer.stalled());
    ImportReport failed = sync(quick, DEFAULT);
    assertThat(failed.status()).isEqualTo(ImportStatus.FAILED);
    assertThat(failed.message()).contains("no whole answer within 1 s");
  }

  @Test
  void aClosedPortIsANetworkFailureRetriedThenReported() {
    WolvesApiSettings settings = stub.settings(500);
    stub.close(); // nothing listens there any more

    ImportReport report = sync(settings, DEFAULT);

    assertThat(report.status()).isEqualTo(ImportStatus.FAILED);
    assertThat(report.message()).contains("after 4 attempts", "cannot connect");
    assertThat(pauses).hasSize(3);
  }

  @Test
  void malformedJsonIsNamedByPageLineAndColumnAndImportsNothing() {
    importer.importCsv(SAMPLE, DEFAULT);
    List<String> before = members(database);
    String sample = WolvesStub.sample();
    // A missing comma between two members, on line 13 of the answer.
    stub.then(Answer.ok(sample.replaceFirst("\\},\n  \\{", "}\n  {")));

    ImportReport report = sync();

    assertThat(report.status()).isEqualTo(ImportStatus.FAILED);
    assertThat(report.message())
        .startsWith("malformed JSON from the Wolves API on page 1 at line 13, column 3")
        .contains("byte ", "nothing was imported");
    assertThat(members(database)).isEqualTo(before);
  }

  @Test
  void truncatedJsonIsNamedAsTruncatedWithWhereItEndsAndImportsNothing() {
    String sample = WolvesStub.sample();
    String cut = sample.substring(0, sample.indexOf("Kelly")); // mid-member
    stub.then(Answer.ok(cut));

    ImportReport report = sync();

    assertThat(report.status()).isEqualTo(ImportStatus.FAILED);
    assertThat(report.message())
        .contains("the Wolves API's answer for page 1 ends early, at line 54")
        .contains("it is truncated");
    assertThat(members(database)).isEmpty();
    assertThat(rows(database, "SELECT status FROM import_runs")).containsExactly("failed");
  }

  @Test
  void successOtherThanOneImportsNothing() {
    stub.then(Answer.ok("{\"success\": 0, \"result\": []}"));

    ImportReport report = sync();

    assertThat(report.status()).isEqualTo(ImportStatus.FAILED);
    assertThat(report.message()).contains("answered success = 0 for page 1; expected 1");
  }

  @Test
  void anAnswerThatIsNotTheEnvelopeSaysWhatItFound() {
    stub.then(Answer.ok("[1, 2]"), Answer.ok("{\"ok\": true}"), Answer.ok("{\"success\": 1}"));

    assertThat(sync().message())
        .contains("is an array; expected a JSON object with success and result");
    assertThat(sync().message()).contains("has no field \"success\"", "found the fields ok");
    assertThat(sync().message()).contains("has no field \"result\"");
  }

  @Test
  void oneBadMemberRejectsTheWholeListAsABadCsvRowDoesAndIsRecorded() {
    List<JsonNode> list = WolvesStub.sampleMembers();
    ((ObjectNode) list.get(6)).put("contact_email", "not-an-email");
    ((ObjectNode) list.get(8)).putArray("first_name");
    stub.then(Answer.ok(WolvesStub.envelope(list, null)));

    ImportReport report = sync();

    assertThat(report.status()).isEqualTo(ImportStatus.REJECTED);
    assertThat(report.rejected()).isEqualTo(2);
    assertThat(report.rejects())
        .extracting(Reject::line, Reject::column, Reject::field)
        .containsExactly(tuple(7L, null, "contact_email"), tuple(9L, null, "first_name"));
    assertThat(report.rejects().get(0).reason())
        .contains("expected an email address", "\"not-an-email\"", "(member \"W200007\")");
    assertThat(report.rejects().get(1).reason()).isEqualTo("expected text, found an array");
    assertThat(members(database)).isEmpty();
    assertThat(rows(database, "SELECT status, rejected FROM import_runs"))
        .containsExactly("rejected|2");
    assertThat(rows(database, "SELECT line, column_no, field FROM import_rejects ORDER BY line"))
        .containsExactly("7|null|contact_email", "9|null|first_name");
  }

  @Test
  void aRenamedFieldIsOneProblemNotOnePerMember() {
    stub.then(Answer.ok(WolvesStub.sample().replace("\"contact_email\"", "\"email\"")));

    ImportReport report = sync();

    assertThat(report.status()).isEqualTo(ImportStatus.REJECTED);
    assertThat(report.rejects())
        .singleElement()
        .satisfies(
            r ->
                assertThat(r.reason())
                    .contains("no field \"contact_email\"", "found wolves_id, member_id"));
  }

  @Test
  void aMemberTwiceInTheListIsRejected() {
    List<JsonNode> list = new ArrayList<>(WolvesStub.sampleMembers());
    list.add(list.get(2));
    stub.then(Answer.ok(WolvesStub.envelope(list, null)));

    ImportReport report = sync();

    assertThat(report.status()).isEqualTo(ImportStatus.REJECTED);
    assertThat(report.rejects())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.line()).isEqualTo(11);
              assertThat(r.reason()).contains("duplicate member ID \"W200003\": member 3");
            });
  }

  @Test
  void anEmptyListIsRefusedAsAnEmptyExportIs() {
    stub.then(Answer.ok("{\"success\": 1, \"result\": []}"));

    ImportReport report = sync();

    assertThat(report.status()).isEqualTo(ImportStatus.REJECTED);
    assertThat(report.rejects().get(0).reason()).contains("listed no members");
  }

  @Test
  void aDryRunChecksAndCountsButWritesNothingNotEvenHistory() {
    ImportReport report = sync(stub.settings(500), new ImportOptions(true, false, null));

    assertThat(report.status()).isEqualTo(ImportStatus.OK);
    assertThat(report.dryRun()).isTrue();
    assertThat(report.inserted()).isEqualTo(10);
    assertThat(report.message()).contains("dry run");
    assertThat(report.runId()).isNull();
    assertThat(members(database)).isEmpty();
    assertThat(rows(database, "SELECT count(*) FROM import_runs")).containsExactly("0");
  }

  @Test
  void theExpiryGuardHoldsForTheApiAsForTheCsv() {
    importer.importCsv(SAMPLE, DEFAULT);
    List<JsonNode> list = WolvesStub.sampleMembers();
    list.forEach(m -> ((ObjectNode) m).put("expiry", "2025-01-31"));
    stub.otherwise(request -> Answer.ok(WolvesStub.envelope(list, null)));

    ImportReport refused = sync();
    assertThat(refused.status()).isEqualTo(ImportStatus.FAILED);
    assertThat(refused.message()).contains("this list from the Wolves API would move", "--force");
    assertThat(members(database)).allMatch(m -> !m.contains("2025-01-31"));

    ImportReport forced = sync(stub.settings(500), new ImportOptions(false, true, null));
    assertThat(forced.status()).isEqualTo(ImportStatus.OK);
    assertThat(forced.updated()).isEqualTo(10);
  }

  @Test
  void theProbeAsksForOneMemberOnceAndNamesARefusedKey() {
    stub.otherwise(WolvesStub.paged(WolvesStub.sampleMembers()));
    WolvesApi.Probe probe = new WolvesApi(stub.settings(500), pauses::add).probe();
    assertThat(probe.members()).isEqualTo(10);
    assertThat(stub.requests().get(0).parameters()).containsEntry("page_size", "1");

    stub.otherwise(request -> WolvesStub.unauthorised());
    WolvesApiException refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            WolvesApiException.class, () -> new WolvesApi(stub.settings(500), pauses::add).probe());
    assertThat(refused.kind()).isEqualTo(WolvesApiException.Kind.KEY_REFUSED);

    stub.otherwise(request -> new Answer(500, ""));
    assertThat(
            org.junit.jupiter.api.Assertions.assertThrows(
                    WolvesApiException.class,
                    () -> new WolvesApi(stub.settings(500), pauses::add).probe())
                .getMessage())
        .contains("after 1 attempt;");
    assertThat(pauses).isEmpty();
  }

  @Test
  void backoffDoublesUpToItsCeiling() {
    assertThat(List.of(1, 2, 3, 5, 6, 40))
        .extracting(WolvesApi::delay)
        .containsExactly(
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(16),
            Duration.ofSeconds(30),
            Duration.ofSeconds(30));
  }

  @Test
  void settingsNeverPrintTheKey() {
    assertThat(stub.settings(500).toString())
        .doesNotContain(WolvesStub.KEY)
        .contains("X-AM-Identity");
  }
}
