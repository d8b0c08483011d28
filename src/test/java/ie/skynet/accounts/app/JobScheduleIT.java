package ie.skynet.accounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.TestClock;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.JobLeases;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.membership.CsvColumns;
import ie.skynet.accounts.membership.ImportSettings;
import ie.skynet.accounts.membership.MembershipImporter;
import ie.skynet.accounts.membership.WolvesApi;
import ie.skynet.accounts.membership.WolvesStub;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
