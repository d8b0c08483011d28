package ie.skynet.accounts.app;

import ie.skynet.accounts.db.JobLeases;
import ie.skynet.accounts.lifecycle.GroupSync;
import ie.skynet.accounts.lifecycle.Housekeeping;
import ie.skynet.accounts.membership.ImportOptions;
import ie.skynet.accounts.membership.ImportReport;
import ie.skynet.accounts.membership.MembershipImporter;
import ie.skynet.accounts.membership.WolvesApi;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic jobs of {@code serve} ({@link Background} looks every tick): each job whose period
 * has passed since it last finished is claimed ({@link JobLeases}, so one instance of several runs
 * it) and run. How it ended is recorded, and anything but done is logged as an error: a job that
 * quietly stops is what this project exists to prevent.
 */
final class JobSchedule {
  private static final Logger log = LoggerFactory.getLogger(JobSchedule.class);

  /** How long a claim holds if its holder dies mid-run: far longer than a run takes. */
  static final Duration LEASE = Duration.ofMinutes(30);

  /** How a run ended, for the record. */
  record Result(JobLeases.Outcome outcome, String detail) {}

  /**
   * @param run does the job; an exception is a failed run
   */
  record Job(String name, Duration period, Supplier<Result> run) {}

  /** sync-groups as a periodic job: its guard holds, so a refusal waits for an operator. */
  static Job groupSync(GroupSync sync, Duration period) {
    return new Job(GroupSync.JOB, period, () -> resultOf(sync.run(false, false)));
  }

  /** The name of sync-wolves's lease, in {@code job_runs}. */
  static final String WOLVES_JOB = "sync-wolves";

  /**
   * sync-wolves as a periodic job: the import's own history records each run too, and its guard
   * holds, so a refusal waits for an operator.
   */
  static Job wolvesSync(MembershipImporter importer, WolvesApi api, Duration period) {
    return new Job(
        WOLVES_JOB,
        period,
        () -> resultOf(importer.importWolves(api, new ImportOptions(false, false, null))));
  }

  /** How an import ended, for the record. */
  static Result resultOf(ImportReport report) {
    String detail =
        String.format(
            "%s: %d rows, %d inserted, %d updated, %d rejected",
            report.message(),
            report.rowsRead(),
            report.inserted(),
            report.updated(),
            report.rejected());
    return new Result(
        switch (report.status()) {
          case OK -> JobLeases.Outcome.DONE;
          case REJECTED -> JobLeases.Outcome.REFUSED;
          case FAILED -> JobLeases.Outcome.FAILED;
        },
        detail);
  }

  /**
   * A sync run from the command line, recorded as the job's last run unless only a dry run: doctor
   * and /metrics show the last sync whoever ran it, and the schedule waits a period after it.
   */
  static GroupSync.Outcome byHand(
      GroupSync sync, JobLeases leases, boolean dryRun, boolean force, Clock clock) {
    Instant started = clock.instant();
    GroupSync.Outcome outcome = sync.run(dryRun, force);
    if (!dryRun) {
      Result result = resultOf(outcome);
      leases.recordRun(GroupSync.JOB, started, result.outcome(), result.detail());
    }
    return outcome;
  }

  /**
   * How often housekeeping runs: what it removes is kept for days to months, so daily is enough.
   */
  static final Duration HOUSEKEEPING_PERIOD = Housekeeping.PERIOD;

  /** Housekeeping as a periodic job: its detail is what it removed. */
  static Job housekeeping(Housekeeping housekeeping) {
    return new Job(
        Housekeeping.JOB,
        HOUSEKEEPING_PERIOD,
        () -> new Result(JobLeases.Outcome.DONE, housekeeping.run(false).counts().summary()));
  }

  /**
   * Housekeeping run from the command line, recorded as the job's last run unless only a dry run,
   * as {@link #byHand} records a sync; a pass that fails is recorded as failed, then thrown.
   */
  static Housekeeping.Outcome housekeepingByHand(
      Housekeeping housekeeping, JobLeases leases, boolean dryRun, Clock clock) {
    Instant started = clock.instant();
    Housekeeping.Outcome outcome;
    try {
      outcome = housekeeping.run(dryRun);
    } catch (RuntimeException e) {
      if (!dryRun) {
        leases.recordRun(
            Housekeeping.JOB, started, JobLeases.Outcome.FAILED, String.valueOf(e.getMessage()));
      }
      throw e;
    }
    if (!dryRun) {
      leases.recordRun(
          Housekeeping.JOB, started, JobLeases.Outcome.DONE, outcome.counts().summary());
    }
    return outcome;
  }

  /** How a sync that changed, or would have changed, the directory ended, for the record. */
  static Result resultOf(GroupSync.Outcome outcome) {
    return switch (outcome) {
      case GroupSync.Outcome.Applied applied ->
          new Result(JobLeases.Outcome.DONE, applied.plan().summary());
      case GroupSync.Outcome.Refused refused ->
          new Result(JobLeases.Outcome.REFUSED, refused.reason());
      case GroupSync.Outcome.DryRun dry ->
          throw new IllegalArgumentException("a dry run is not a run of the job");
    };
  }

  private final JobLeases leases;
  private final String holder;
  private final List<Job> jobs;

  /**
   * @param holder this instance, as the leases name it
   */
  JobSchedule(JobLeases leases, String holder, List<Job> jobs) {
    this.leases = leases;
    this.holder = holder;
    this.jobs = List.copyOf(jobs);
  }

  /** Runs each job that is due and not claimed by another instance; returns how many ran. */
  int runDue() {
    int ran = 0;
    for (Job job : jobs) {
      try {
        if (!leases.claim(job.name(), holder, job.period(), LEASE)) {
          continue;
        }
      } catch (RuntimeException e) {
        log.error("claiming {} failed; trying again next tick", job.name(), e);
        continue;
      }
      ran++;
      Result result;
      try {
        result = job.run().get();
        if (result.outcome() != JobLeases.Outcome.DONE) {
          log.error(
              "{} {}: {}",
              job.name(),
              result.outcome().name().toLowerCase(Locale.ROOT),
              result.detail());
        }
      } catch (RuntimeException e) {
        log.error("{} failed", job.name(), e);
        result = new Result(JobLeases.Outcome.FAILED, String.valueOf(e.getMessage()));
      }
      try {
        leases.finish(job.name(), holder, result.outcome(), result.detail());
      } catch (RuntimeException e) {
        log.error("recording how {} ended failed", job.name(), e);
      }
    }
    return ran;
  }
}
