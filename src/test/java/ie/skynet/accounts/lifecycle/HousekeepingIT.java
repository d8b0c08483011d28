package ie.skynet.accounts.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ie.skynet.accounts.account.EndedRecords;
import ie.skynet.accounts.asks.AskQueue;
import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.DatabaseException;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.links.LinkPurpose;
import ie.skynet.accounts.links.Links;
import ie.skynet.accounts.membership.Memberships;
import ie.skynet.accounts.outbox.Outbox;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each retention limit on a real SQLite file, with a fixed clock and every row dated from it: what
 * is one day (or, for sessions and challenges, one minute) short of its limit stays, what is at or
 * past it goes.
 */
class HousekeepingIT {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
  private static final RetentionSettings RETENTION = new RetentionSettings(13, 400, 30, 90);

  @TempDir Path dir;
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private Database database;
  private Outbox outbox;
  private AskQueue asks;

  @BeforeEach
  void setUp() {
    database = TestDatabases.migrated(dir);
    outbox = new Outbox(database, clock, metrics);
    asks = new AskQueue(database, outbox, clock);
  }

  @AfterEach
  void tearDown() {
    asks.close();
  }

  private Housekeeping housekeeping(Housekeeping.Sweep sshChallenges) {
    return new Housekeeping(
        database,
        new Memberships(database),
        new Links(database, new SecureRandom(), clock),
        asks,
        outbox,
        new AuditLog(clock),
        EndedRecords::sessions,
        sshChallenges,
        RETENTION,
        clock);
  }

  private Housekeeping housekeeping() {
    return housekeeping(EndedRecords::sshChallenges);
  }

  private static String ago(Duration age) {
    return NOW.minus(age).toString();
  }

  private void member(String id, LocalDate expiry) {
    TestDatabases.execute(
        database,
        "INSERT INTO accounts_wolves VALUES ('"
            + id
            + "', '1', '"
            + id
            + "@example.com', '"
            + expiry
            + "', 'A', 'B')");
  }

  private void account(String username, String id) {
    TestDatabases.execute(
        database,
        "INSERT INTO accounts (username, id_wolves, email, created_at, status) VALUES ('"
            + username
            + "', '"
            + id
            + "', 'x@example.com', '2020-01-01T00:00:00Z', 'expired')");
  }

  private void session(String name, Duration age, Duration idle) {
    TestDatabases.execute(
        database,
        "INSERT INTO sessions VALUES ('"
            + name
            + "', 'aoife', '"
            + ago(age)
            + "', '"
            + ago(idle)
            + "')");
  }

  private void challenge(String text, Duration expiredFor, boolean used) {
    TestDatabases.execute(
        database,
        "INSERT INTO ssh_challenges (challenge, username, created_at, expires_at, used_at)"
            + " VALUES ('"
            + text
            + "', 'aoife', '"
            + ago(expiredFor.plusMinutes(15))
            + "', '"
            + ago(expiredFor)
            + "', "
            + (used ? "'" + ago(expiredFor.plusMinutes(10)) + "'" : "NULL")
            + ")");
  }

  /** A link issued an hour before it expires, {@code expiredFor} ago; spent at once if asked. */
  private void link(String subject, Duration expiredFor, boolean spent) {
    Instant issued = NOW.minus(expiredFor).minus(Duration.ofHours(1));
    Links links = new Links(database, new SecureRandom(), Clock.fixed(issued, ZoneOffset.UTC));
    database.runInTransaction(
        "issuing a link",
        c -> {
          String token =
              links.issue(c, LinkPurpose.SIGNUP, subject, "x@example.com", Duration.ofHours(1));
          if (spent) {
            links.spend(c, LinkPurpose.SIGNUP, token, issued);
          }
        });
  }

  private void ask(String value, Duration age) {
    TestDatabases.execute(
        database,
        "INSERT INTO asks (kind, value, asked_at) VALUES ('signup', '"
            + value
            + "', '"
            + ago(age)
            + "')");
  }

  private void mail(String recipient, String status, Duration age) {
    String at = "'" + ago(age) + "'";
    TestDatabases.execute(
        database,
        "INSERT INTO mail_outbox (recipient, template, subject, status, attempts,"
            + " next_attempt_at, claimed_at, created_at, sent_at) VALUES ('"
            + recipient
            + "', 'signup-verify', 'Subject', '"
            + status
            + "', 1, "
            + at
            + ", "
            + (status.equals("pending") ? "NULL" : at)
            + ", "
            + at
            + ", "
            + (status.equals("sent") ? at : "NULL")
            + ")");
  }

  private void audited(String target, Duration age) {
    new AuditLog(Clock.fixed(NOW.minus(age), ZoneOffset.UTC))
        .record(
            database,
            new AuditLog.Entry(
                "aoife", "password-changed", target, "192.0.2.1", AuditLog.Outcome.DONE, ""));
  }

  /** Rows on each side of every limit; {@link #EXPECTED} counts those at or past it. */
  private void rowsAroundEveryLimit() {
    LocalDate lastGone = LocalDate.ofInstant(NOW, ZoneOffset.UTC).minusMonths(13);
    member("W-AT-LIMIT", lastGone);
    member("W-PAST-LIMIT", lastGone.minusDays(1));
    member("W-DAY-SHORT", lastGone.plusDays(1));
    member("W-CURRENT", lastGone.plusYears(2));
    member("W-LINKED", lastGone.minusYears(10));
    account("brian", "W-LINKED"); // a linked membership is never removed, however old

    session("idle-ended", Duration.ofHours(1), Duration.ofMinutes(30));
    session("idle-live", Duration.ofHours(1), Duration.ofMinutes(29));
    session("too-old", Duration.ofHours(12), Duration.ofMinutes(1));
    session("not-yet-too-old", Duration.ofHours(12).minusMinutes(1), Duration.ofMinutes(1));

    challenge("expired-now", Duration.ZERO, false);
    challenge("answered-long-ago", Duration.ofDays(1), true);
    challenge("open", Duration.ofMinutes(-1), false);

    link("link-at-limit", Duration.ofDays(7), false);
    link("link-spent-past-limit", Duration.ofDays(8), true);
    link("link-day-short", Duration.ofDays(6), true);
    link("link-open", Duration.ofMinutes(-30), false);

    ask("ask-at-limit@example.com", Duration.ofDays(7));
    ask("ask-day-short@example.com", Duration.ofDays(6));

    mail("sent-at-limit@example.com", "sent", Duration.ofDays(30));
    mail("sent-day-short@example.com", "sent", Duration.ofDays(29));
    mail("failed-at-limit@example.com", "failed", Duration.ofDays(90));
    mail("failed-day-short@example.com", "failed", Duration.ofDays(89));
    mail("pending-for-ever@example.com", "pending", Duration.ofDays(500));

    audited("audit-past-limit", Duration.ofDays(401));
    audited("audit-at-limit", Duration.ofDays(400));
    audited("audit-day-short", Duration.ofDays(399));
  }

  private static final Housekeeping.Counts EXPECTED =
      new Housekeeping.Counts(2, 2, 2, 2, 1, 1, 1, 2);

  private List<String> rows(String sql) {
    return TestDatabases.rows(database, sql);
  }

  @Test
  void eachLimitKeepsWhatIsADayShortAndRemovesWhatIsAtOrPastIt() {
    rowsAroundEveryLimit();

    Housekeeping.Outcome outcome = housekeeping().run(false);

    assertThat(outcome).isEqualTo(new Housekeeping.Outcome.Done(EXPECTED));
    assertThat(rows("SELECT id_wolves FROM accounts_wolves ORDER BY id_wolves"))
        .containsExactly("W-CURRENT", "W-DAY-SHORT", "W-LINKED");
    assertThat(rows("SELECT username FROM accounts")).containsExactly("brian");
    assertThat(rows("SELECT id_sha256 FROM sessions ORDER BY id_sha256"))
        .containsExactly("idle-live", "not-yet-too-old");
    assertThat(rows("SELECT challenge FROM ssh_challenges")).containsExactly("open");
    assertThat(rows("SELECT subject FROM links ORDER BY subject"))
        .containsExactly("link-day-short", "link-open");
    assertThat(rows("SELECT value FROM asks")).containsExactly("ask-day-short@example.com");
    assertThat(rows("SELECT recipient FROM mail_outbox ORDER BY recipient"))
        .containsExactly(
            "failed-day-short@example.com",
            "pending-for-ever@example.com",
            "sent-day-short@example.com");
    assertThat(rows("SELECT target FROM audit_log WHERE target LIKE 'audit-%'"))
        .containsExactly("audit-day-short");
  }

  @Test
  void eachPassIsInTheAuditLogWithItsCounts() {
    rowsAroundEveryLimit();
    housekeeping().run(false);

    assertThat(new AuditLog(clock).about(database, AuditLog.ANONYMOUS, 5))
        .containsExactly(
            new AuditLog.Recorded(
                NOW,
                new AuditLog.Entry(
                    "housekeeping",
                    "housekeeping",
                    "-",
                    "-",
                    AuditLog.Outcome.DONE,
                    "removed 2 unlinked members, 2 sessions, 2 SSH challenges, 2 links,"
                        + " 1 requests, 1 sent mails, 1 failed mails, 2 audit entries")));

    // A second pass finds nothing left to remove, and says so.
    assertThat(housekeeping().run(false).counts().total()).isZero();
    assertThat(new AuditLog(clock).about(database, AuditLog.ANONYMOUS, 5))
        .hasSize(2)
        .first()
        .satisfies(e -> assertThat(e.entry().detail()).startsWith("removed 0 unlinked members"));
  }

  @Test
  void aDryRunCountsExactlyAndRemovesNothing() {
    rowsAroundEveryLimit();
    List<String> before = everything();

    Housekeeping.Outcome outcome = housekeeping().run(true);

    assertThat(outcome).isEqualTo(new Housekeeping.Outcome.DryRun(EXPECTED));
    assertThat(everything()).isEqualTo(before);
    assertThat(new AuditLog(clock).about(database, AuditLog.ANONYMOUS, 5)).isEmpty();
  }

  @Test
  void aPassThatFailsRemovesNothingAndIsRecordedAsNotDone() {
    rowsAroundEveryLimit();
    List<String> before = everything();

    assertThatThrownBy(
            () ->
                housekeeping(
                        (c, now) -> {
                          throw new SQLException("disk I/O error");
                        })
                    .run(false))
        .isInstanceOf(DatabaseException.class)
        .hasMessageContaining("housekeeping failed")
        .hasMessageContaining("disk I/O error");

    assertThat(everything()).isEqualTo(before); // the members removed first came back
    assertThat(new AuditLog(clock).about(database, AuditLog.ANONYMOUS, 5))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.entry().action()).isEqualTo("housekeeping");
              assertThat(e.entry().outcome()).isEqualTo(AuditLog.Outcome.REFUSED);
              assertThat(e.entry().detail())
                  .startsWith("failed, nothing was removed: ")
                  .contains("disk I/O error");
            });
  }

  /**
   * Every row of the tables housekeeping removes from, for before-and-after comparisons; of the
   * audit log, all but the entries of housekeeping's own passes.
   */
  private List<String> everything() {
    return java.util.stream.Stream.of(
            "accounts_wolves",
            "accounts",
            "sessions",
            "ssh_challenges",
            "links",
            "asks",
            "mail_outbox",
            "audit_log")
        .flatMap(
            table ->
                rows(
                    "SELECT '"
                        + table
                        + "', * FROM "
                        + table
                        + (table.equals("audit_log") ? " WHERE action <> 'housekeeping'" : ""))
                    .stream())
        .toList();
  }
}
