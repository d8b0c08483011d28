package ie.skynet.accounts.app;

import ie.skynet.accounts.db.JobLeases;
import ie.skynet.accounts.lifecycle.GroupSync;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The periodic jobs of {@code serve}, on a thread of their own so a long one never holds up mail:
 * every tick, each job whose period has passed since it last finished is claimed ({@link
 * JobLeases}, so one instance of several runs it) and run. How it ended is recorded, and anything
 * but done is logged as an error: a job that quietly stops is what this project exists to prevent.
 */
final class JobSchedule implements AutoCloseable {
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
    return new Job(
        GroupSync.JOB,
        period,
        () ->
            switch (sync.run(false, false)) {
              case GroupSync.Outcome.Applied applied ->
                  new Result(JobLeases.Outcome.DONE, applied.plan().summary());
              case GroupSync.Outcome.Refused refused ->
                  new Result(JobLeases.Outcome.REFUSED, refused.reason());
              case GroupSync.Outcome.DryRun dry ->
                  throw new IllegalStateException("a scheduled sync is never a dry run");
            });
  }

  private final JobLeases leases;
  private final String holder;
  private final Duration tick;
  private final List<Job> jobs;
  private @Nullable ScheduledExecutorService thread;

  /**
   * @param holder this instance, as the leases name it
   * @param tick how often it looks for a job that is due; the first look is one tick after start
   */
  JobSchedule(JobLeases leases, String holder, Duration tick, List<Job> jobs) {
    this.leases = leases;
    this.holder = holder;
    this.tick = tick;
    this.jobs = List.copyOf(jobs);
  }

  synchronized void start() {
    ScheduledExecutorService started =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "jobs");
              t.setDaemon(true);
              return t;
            });
    started.scheduleWithFixedDelay(
        this::runDue, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
    thread = started;
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
      } catch (RuntimeException e) {
        log.error("{} failed", job.name(), e);
        result = new Result(JobLeases.Outcome.FAILED, String.valueOf(e.getMessage()));
      }
      if (result.outcome() == JobLeases.Outcome.REFUSED) {
        log.error("{} refused: {}", job.name(), result.detail());
      }
      try {
        leases.finish(job.name(), holder, result.outcome(), result.detail());
      } catch (RuntimeException e) {
        log.error("recording how {} ended failed", job.name(), e);
      }
    }
    return ran;
  }

  @Override
  public synchronized void close() {
    ScheduledExecutorService stopping = thread;
    if (stopping == null) {
      return;
    }
    thread = null;
    stopping.shutdownNow(); // a sync interrupted half-way is finished by the next one
    try {
      stopping.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
