package ie.skynet.accounts.db;

import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Who runs each periodic job, and how it last ended ({@code job_runs}). Instances serving one
 * database claim a job's lease before running it, so each job runs once per period whatever the
 * number of instances; a lease outlives a crashed holder only until it lapses.
 */
public final class JobLeases {
  private final Database database;
  private final Clock clock;

  public JobLeases(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /** How a run ended: done, refused by its own guard, or failed. */
  public enum Outcome {
    DONE,
    REFUSED,
    FAILED;

    String code() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * A job's last run.
   *
   * @param finishedAt null while the first run is under way
   * @param outcome null while the first run is under way
   */
  public record LastRun(
      Instant startedAt, @Nullable Instant finishedAt, @Nullable String outcome, String detail) {}

  /**
   * Claims the job for {@code holder} if it is due (never finished, or last finished {@code period}
   * ago or more) and nobody holds a lease on it that has not lapsed.
   *
   * @param lease how long the claim holds if its holder never finishes: longer than a run takes
   * @return whether the holder may run the job now
   */
  public boolean claim(String job, String holder, Duration period, Duration lease) {
    Instant now = now();
    return database.inTransaction(
        "claiming the job " + job,
        c -> {
          Sql.update(c, "INSERT OR IGNORE INTO job_runs (job) VALUES (?)", job);
          return Sql.update(
                  c,
                  "UPDATE job_runs SET holder = ?, lease_until = ?, last_started_at = ?"
                      + " WHERE job = ? AND (lease_until IS NULL OR lease_until <= ?)"
                      + " AND (last_finished_at IS NULL OR last_finished_at <= ?)",
                  holder,
                  now.plus(lease).toString(),
                  now.toString(),
                  job,
                  now.toString(),
                  now.minus(period).toString())
              == 1;
        });
  }

  /** Records how the holder's run ended and lets the lease go. */
  public void finish(String job, String holder, Outcome outcome, String detail) {
    database.runInTransaction(
        "recording the end of the job " + job,
        c ->
            Sql.update(
                c,
                "UPDATE job_runs SET holder = NULL, lease_until = NULL, last_finished_at = ?,"
                    + " last_outcome = ?, last_detail = ? WHERE job = ? AND holder = ?",
                now().toString(),
                outcome.code(),
                detail,
                job,
                holder));
  }

  /**
   * Records a run made outside the schedule (by hand, from the command line) as the job's last: an
   * operator's forced sync after a refusal clears the refusal, and the next scheduled run comes a
   * period after it. A lease held meanwhile is left alone.
   */
  public void recordRun(String job, Instant startedAt, Outcome outcome, String detail) {
    database.runInTransaction(
        "recording a run of " + job,
        c -> {
          Sql.update(c, "INSERT OR IGNORE INTO job_runs (job) VALUES (?)", job);
          Sql.update(
              c,
              "UPDATE job_runs SET last_started_at = ?, last_finished_at = ?, last_outcome = ?,"
                  + " last_detail = ? WHERE job = ?",
              startedAt.truncatedTo(ChronoUnit.SECONDS).toString(),
              now().toString(),
              outcome.code(),
              detail,
              job);
        });
  }

  /** The job's last run; empty if it never started. */
  public static Optional<LastRun> last(Connection c, String job) throws SQLException {
    return Sql.first(
        c,
        "SELECT last_started_at, last_finished_at, last_outcome, coalesce(last_detail, '')"
            + " FROM job_runs WHERE job = ? AND last_started_at IS NOT NULL",
        rs ->
            new LastRun(
                Instant.parse(rs.getString(1)),
                rs.getString(2) == null ? null : Instant.parse(rs.getString(2)),
                rs.getString(3),
                rs.getString(4)),
        job);
  }

  /** A job, by name, with its last run. */
  public record Named(String job, LastRun run) {}

  /** Every job that has started at least once, by name. */
  public static List<Named> all(Connection c) throws SQLException {
    return Sql.list(
        c,
        "SELECT job, last_started_at, last_finished_at, last_outcome, coalesce(last_detail, '')"
            + " FROM job_runs WHERE last_started_at IS NOT NULL ORDER BY job",
        rs ->
            new Named(
                rs.getString(1),
                new LastRun(
                    Instant.parse(rs.getString(2)),
                    rs.getString(3) == null ? null : Instant.parse(rs.getString(3)),
                    rs.getString(4),
                    rs.getString(5))));
  }

  /**
   * Registers gauges of the job's last run, {@code PREFIX.last.age} and {@code PREFIX.last.done},
   * read from the table when scraped: another instance may have run it. NaN until the job first
   * ends.
   *
   * @param prefix the gauges' names before {@code .last}, such as {@code accounts.sync}
   */
  public static TableGauges<?> gauges(
      Database database, String job, String prefix, Clock clock, MeterRegistry registry) {
    return new TableGauges<Optional<LastRun>>(
            "the last run of " + job,
            () -> database.withConnection("reading the last run of " + job, c -> last(c, job)),
            registry)
        .gauge(
            prefix + ".last.age",
            "Time since the last run of " + job + " ended, whatever its outcome",
            "seconds",
            last ->
                last.map(LastRun::finishedAt)
                    .map(t -> Math.max(0, Duration.between(t, clock.instant()).toSeconds()))
                    .map(Long::doubleValue)
                    .orElse(Double.NaN))
        .gauge(
            prefix + ".last.done",
            "1 if the last run of " + job + " was done, 0 if it was refused or failed",
            null,
            last ->
                last.map(LastRun::outcome)
                    .map(outcome -> "done".equals(outcome) ? 1.0 : 0.0)
                    .orElse(Double.NaN));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }
}
