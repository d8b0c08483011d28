package ie.skynet.accounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.TestClock;
import ie.skynet.accounts.account.EndedRecords;
import ie.skynet.accounts.asks.AskQueue;
import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.JobLeases;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.lifecycle.Housekeeping;
import ie.skynet.accounts.links.Links;
import ie.skynet.accounts.membership.CsvColumns;
import ie.skynet.accounts.membership.ImportSettings;
import ie.skynet.accounts.membership.MembershipImporter;
import ie.skynet.accounts.membership.Memberships;
import ie.skynet.accounts.membership.WolvesApi;
import ie.skynet.accounts.membership.WolvesStub;
import ie.skynet.accounts.outbox.Outbox;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Periodic jobs on one real SQLite file, as two instances of serve would share it. */
class JobScheduleIT {
  private static final Duration PERIOD = Duration.ofHours(8);

  @TempDir Path dir;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-26T12:00:00Z"));
  private final AtomicInteger runs = new AtomicInteger();
  private Database database;

  @BeforeEach
  void setUp() {
    database = TestDatabases.migrated(dir);
  }

  private JobSchedule instance(String name, JobSchedule.Result result) {
    return new JobSchedule(
        new JobLeases(database, clock),
        name,
        List.of(
            new JobSchedule.Job(
                "sync-groups",
                PERIOD,
                () -> {
                  runs.incrementAndGet();
                  return result;
                })));
  }

  private JobLeases.LastRun last() {
    return database.withConnection("reading", c -> JobLeases.last(c, "sync-groups")).orElseThrow();
  }

  @Test
  void twoInstancesOnOneDatabaseRunTheJobOncePerPeriod() {
    JobSchedule.Result done = new JobSchedule.Result(JobLeases.Outcome.DONE, "0 joined");
    JobSchedule first = instance("first", done);
    JobSchedule second = instance("second", done);

    assertThat(first.runDue()).isEqualTo(1); // never ran: due at once
    assertThat(second.runDue()).isZero();
    assertThat(runs).hasValue(1);
    assertThat(last().outcome()).isEqualTo("done");
    assertThat(last().finishedAt()).isEqualTo(clock.instant());

    clock.advance(PERIOD.minusMinutes(1));
    assertThat(first.runDue() + second.runDue()).isZero();

    clock.advance(Duration.ofMinutes(1));
    assertThat(second.runDue()).isEqualTo(1);
    assertThat(first.runDue()).isZero();
    assertThat(runs).hasValue(2);
  }

  @Test
  void aHolderThatDiesMidRunKeepsOthersOutOnlyUntilItsLeaseLapses() {
    JobLeases leases = new JobLeases(database, clock);
    assertThat(leases.claim("sync-groups", "crashed", PERIOD, JobSchedule.LEASE)).isTrue();
    JobSchedule other =
        instance("other", new JobSchedule.Result(JobLeases.Outcome.DONE, "0 joined"));

    assertThat(other.runDue()).isZero(); // the lease holds
    clock.advance(JobSchedule.LEASE);
    assertThat(other.runDue()).isEqualTo(1);
    // The crashed holder, should it come back, records nothing over the other's run.
    leases.finish("sync-groups", "crashed", JobLeases.Outcome.FAILED, "late");
    assertThat(last().outcome()).isEqualTo("done");
  }

  @Test
  void aRefusedOrFailedRunIsRecordedAndTheJobRunsAgainNextPeriod() {
    JobSchedule refusing =
        instance("one", new JobSchedule.Result(JobLeases.Outcome.REFUSED, "too many would go"));
    assertThat(refusing.runDue()).isEqualTo(1);
    assertThat(last().outcome()).isEqualTo("refused");
    assertThat(last().detail()).isEqualTo("too many would go");

    JobSchedule failing =
        new JobSchedule(
            new JobLeases(database, clock),
            "two",
            List.of(
                new JobSchedule.Job(
                    "sync-groups",
                    PERIOD,
                    () -> {
                      throw new IllegalStateException("the directory is down");
                    })));
    clock.advance(PERIOD);
    assertThat(failing.runDue()).isEqualTo(1);
    assertThat(last().outcome()).isEqualTo("failed");
    assertThat(last().detail()).isEqualTo("the directory is down");
  }

  @Test
  void aRunByHandIsTheLastRunAndTheScheduleWaitsAPeriodAfterIt() {
    JobSchedule schedule =
        instance("serve", new JobSchedule.Result(JobLeases.Outcome.REFUSED, "too many would go"));
    assertThat(schedule.runDue()).isEqualTo(1);
    assertThat(last().outcome()).isEqualTo("refused");

    clock.advance(Duration.ofHours(1));
    new JobLeases(database, clock)
        .recordRun("sync-groups", clock.instant(), JobLeases.Outcome.DONE, "40 left, by hand");
    assertThat(last().outcome()).isEqualTo("done"); // the refusal is answered
    assertThat(last().detail()).isEqualTo("40 left, by hand");

    clock.advance(PERIOD.minusMinutes(1));
    assertThat(schedule.runDue()).isZero();
    clock.advance(Duration.ofMinutes(1));
    assertThat(schedule.runDue()).isEqualTo(1);
  }

  /** Housekeeping over the real owners, with the default limits, on this test's clock. */
  private Housekeeping housekeeping(AskQueue asks, Outbox outbox) {
    return new Housekeeping(
        database,
        new Memberships(database),
        new Links(database, new SecureRandom(), clock),
        asks,
        outbox,
        new AuditLog(clock),
        EndedRecords::sessions,
        EndedRecords::sshChallenges,
        ConfigLoader.withoutFile(Map.of()).retention(),
        clock);
  }

  /** A membership nobody made an account from, that expired {@code months} before today. */
  private void unlinkedMember(String id, int months) {
    TestDatabases.execute(
        database,
        "INSERT INTO accounts_wolves VALUES ('"
            + id
            + "', NULL, 'x@example.com', '"
            + LocalDate.now(clock).minusMonths(months)
            + "', NULL, NULL)");
  }

  private JobLeases.LastRun last(String job) {
    return database.withConnection("reading", c -> JobLeases.last(c, job)).orElseThrow();
  }

  @Test
  void housekeepingRunsAfterTheSyncOnceADayAndItsCountsAreTheRunsDetail() {
    Outbox outbox = new Outbox(database, clock, new SimpleMeterRegistry());
    try (AskQueue asks = new AskQueue(database, outbox, clock)) {
      List<String> order = new ArrayList<>();
      JobSchedule.Job housekeeping = JobSchedule.housekeeping(housekeeping(asks, outbox));
      JobSchedule schedule =
          new JobSchedule(
              new JobLeases(database, clock),
              "serve",
              List.of(
                  new JobSchedule.Job(
                      "sync-groups",
                      PERIOD,
                      () -> {
                        order.add("sync-groups");
                        return new JobSchedule.Result(JobLeases.Outcome.DONE, "0 joined");
                      }),
                  new JobSchedule.Job(
                      housekeeping.name(),
                      housekeeping.period(),
                      () -> {
                        order.add(housekeeping.name());
                        return housekeeping.run().get();
                      })));
      unlinkedMember("W-GONE", 13);
      unlinkedMember("W-KEPT", 12);

      assertThat(schedule.runDue()).isEqualTo(2);
      assertThat(order).containsExactly("sync-groups", "housekeeping");
      assertThat(last("housekeeping").outcome()).isEqualTo("done");
      assertThat(last("housekeeping").detail())
          .isEqualTo(
              "removed 1 unlinked members, 0 sessions, 0 SSH challenges, 0 links, 0 requests,"
                  + " 0 sent mails, 0 failed mails, 0 audit entries");
      assertThat(TestDatabases.members(database)).singleElement().asString().startsWith("W-KEPT");

      clock.advance(Duration.ofDays(1).minusMinutes(1));
      unlinkedMember("W-LATER", 13);
      assertThat(schedule.runDue()).isEqualTo(1); // the sync's 8 hours have passed, not the day
      assertThat(order).endsWith("sync-groups");
      clock.advance(Duration.ofMinutes(1));
      assertThat(schedule.runDue()).isEqualTo(1);
      assertThat(order).endsWith("housekeeping");
      assertThat(last("housekeeping").detail()).startsWith("removed 1 unlinked members");
    }
  }

  @Test
  void housekeepingByHandIsTheLastRunUnlessADryRun() {
    Outbox outbox = new Outbox(database, clock, new SimpleMeterRegistry());
    try (AskQueue asks = new AskQueue(database, outbox, clock)) {
      Housekeeping housekeeping = housekeeping(asks, outbox);
      JobLeases leases = new JobLeases(database, clock);
      unlinkedMember("W-GONE", 14);

      Housekeeping.Outcome dry = JobSchedule.housekeepingByHand(housekeeping, leases, true, clock);
      assertThat(dry.counts().unlinkedMembers()).isEqualTo(1);
      Optional<JobLeases.LastRun> none =
          database.withConnection("reading", c -> JobLeases.last(c, "housekeeping"));
      assertThat(none).isEmpty();
      assertThat(TestDatabases.members(database)).hasSize(1);

      JobSchedule.housekeepingByHand(housekeeping, leases, false, clock);
      assertThat(last("housekeeping").outcome()).isEqualTo("done");
      assertThat(last("housekeeping").detail()).startsWith("removed 1 unlinked members");
      assertThat(TestDatabases.members(database)).isEmpty();
      // The schedule waits a day after it.
      JobSchedule schedule =
          new JobSchedule(leases, "serve", List.of(JobSchedule.housekeeping(housekeeping)));
      assertThat(schedule.runDue()).isZero();
      clock.advance(JobSchedule.HOUSEKEEPING_PERIOD);
      assertThat(schedule.runDue()).isEqualTo(1);
    }
  }

  @Test
  void syncWolvesImportsTheListAndRecordsHowItEndedAsAJob() {
    try (WolvesStub stub = WolvesStub.start()) {
      MembershipImporter importer =
          new MembershipImporter(
              database,
              new ImportSettings(CsvColumns.WOLVES_DEFAULTS, null, 0.10),
              clock,
              new SimpleMeterRegistry());
      List<Duration> pauses = new ArrayList<>();
      JobSchedule schedule =
          new JobSchedule(
              new JobLeases(database, clock),
              "one",
              List.of(
                  JobSchedule.wolvesSync(
                      importer, new WolvesApi(stub.settings(500), pauses::add), PERIOD)));

      assertThat(schedule.runDue()).isEqualTo(1);
      assertThat(TestDatabases.members(database)).hasSize(10);
      JobLeases.LastRun done =
          database
              .withConnection("reading", c -> JobLeases.last(c, JobSchedule.WOLVES_JOB))
              .orElseThrow();
      assertThat(done.outcome()).isEqualTo("done");

      stub.otherwise(request -> WolvesStub.unauthorised());
      clock.advance(PERIOD);
      assertThat(schedule.runDue()).isEqualTo(1);
      JobLeases.LastRun refused =
          database
              .withConnection("reading", c -> JobLeases.last(c, JobSchedule.WOLVES_JOB))
              .orElseThrow();
      assertThat(refused.outcome()).isEqualTo("failed");
      assertThat(refused.detail()).contains("refused the key");
    }
  }
}
