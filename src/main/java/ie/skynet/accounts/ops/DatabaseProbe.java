package ie.skynet.accounts.ops;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.JobLeases;
import ie.skynet.accounts.lifecycle.GroupSync;
import ie.skynet.accounts.lifecycle.Housekeeping;
import ie.skynet.accounts.membership.ImportRunLog;
import ie.skynet.accounts.membership.Memberships;
import ie.skynet.accounts.outbox.Outbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * The service's own data: the database, its schema, the members in it, the last import, the last
 * sync of the groups, the mail waiting to go out, and the space left for all of it.
 */
record DatabaseProbe(
    Database database,
    Duration importMaxAge,
    Duration syncPeriod,
    FreeSpace freeSpace,
    Clock clock) {
  /** Mail waiting longer than this means the outbox is not getting through. */
  static final Duration MAIL_WAIT_WARNING = Duration.ofMinutes(10);

  static final long DISK_WARNING_BYTES = 1L << 30;
  static final long DISK_FAILURE_BYTES = 100L << 20;

  void check(List<CheckResult> out) {
    disk(out);
    Optional<Path> file = database.location();
    if (file.isPresent() && !Files.isRegularFile(file.get())) {
      out.add(
          CheckResult.failed(
              "database",
              file.get() + " does not exist",
              "Check database.url; a new database is made by `accounts migrate`."));
      return;
    }
    if (!database.isCurrent()) {
      out.add(
          CheckResult.failed(
              "database schema",
              "the schema is not the newest this version knows",
              "Run `accounts migrate` (take a backup first)."));
      return;
    }
    long start = System.nanoTime();
    try (Connection connection = database.connect()) {
      out.add(
          CheckResult.ok(
              "database",
              database.url() + " opened in " + NetworkProbe.millis(start) + ", schema current"));
      members(connection, out);
      lastImport(connection, out);
      lastSync(connection, out);
      lastHousekeeping(connection, out);
      outbox(connection, out);
    } catch (SQLException | RuntimeException e) {
      out.add(
          CheckResult.failed(
              "database",
              "cannot read " + database.url() + ": " + NetworkProbe.rootMessage(e),
              "Check the file's permissions and that the disk is not full."));
    }
  }

  private void disk(List<CheckResult> out) {
    Optional<Path> file = database.location();
    if (file.isEmpty()) {
      out.add(CheckResult.skipped("disk", "the database is in memory"));
      return;
    }
    Path dir = file.get().toAbsolutePath().getParent();
    while (dir != null && !Files.exists(dir)) {
      dir = dir.getParent();
    }
    if (dir == null) {
      out.add(CheckResult.skipped("disk", "no existing directory above " + file.get()));
      return;
    }
    try {
      long free = freeSpace.of(dir);
      String measured = (free >> 20) + " MiB free in " + dir;
      if (free < DISK_FAILURE_BYTES) {
        out.add(
            CheckResult.failed("disk", measured, "Free space: SQLite cannot write without it."));
      } else if (free < DISK_WARNING_BYTES) {
        out.add(CheckResult.warn("disk", measured, "Less than 1 GiB left: free some space."));
      } else {
        out.add(CheckResult.ok("disk", measured));
      }
    } catch (IOException e) {
      out.add(CheckResult.skipped("disk", "cannot measure free space: " + e.getMessage()));
    }
  }

  private void members(Connection c, List<CheckResult> out) throws SQLException {
    Memberships.Census census = Memberships.census(c, LocalDate.now(clock));
    String measured = census.members() + " members, " + census.current() + " of them current";
    out.add(
        census.current() == 0
            ? CheckResult.warn(
                "members", measured, "No current member could sign up: import the export.")
            : CheckResult.ok("members", measured));
  }

  private void lastImport(Connection c, List<CheckResult> out) throws SQLException {
    ImportRunLog.LastRun run = ImportRunLog.lastRun(c).orElse(null);
    if (run == null) {
      out.add(
          CheckResult.warn(
              "last import",
              "no import yet",
              "Import the Wolves export: accounts import-csv FILE"));
      return;
    }
    Duration age = Duration.between(run.started(), clock.instant());
    String status = run.status();
    String measured =
        status
            + ", "
            + run.source()
            + ", "
            + run.rowsRead()
            + " rows, "
            + age.toHours()
            + " h ago ("
            + run.started()
            + ")";
    switch (status) {
      case "rejected", "failed" ->
          out.add(
              CheckResult.failed(
                  "last import",
                  measured + (run.message().isEmpty() ? "" : ": " + run.message()),
                  "Nothing of it was imported. Fix what `accounts import-csv` reported (line and"
                      + " column) and import again."));
      case "running" ->
          out.add(
              CheckResult.warn(
                  "last import", measured, "An import is running, or one died: see its log."));
      default ->
          out.add(
              age.compareTo(importMaxAge) > 0
                  ? CheckResult.warn(
                      "last import",
                      measured,
                      "Older than "
                          + importMaxAge.toHours()
                          + " h: new members cannot sign up until they are imported.")
                  : CheckResult.ok("last import", measured));
    }
  }

  private void lastSync(Connection c, List<CheckResult> out) throws SQLException {
    String every = "serve syncs the groups every " + syncPeriod.toHours() + " h";
    JobLeases.LastRun run = JobLeases.last(c, GroupSync.JOB).orElse(null);
    if (run == null) {
      out.add(
          CheckResult.warn(
              "last sync",
              "no sync of the groups yet",
              every + "; `accounts sync-groups --dry-run` shows what the first would change."));
      return;
    }
    Instant finished = run.finishedAt();
    if (finished == null || finished.isBefore(run.startedAt())) {
      out.add(CheckResult.ok("last sync", "running since " + run.startedAt()));
      return;
    }
    Duration age = Duration.between(finished, clock.instant());
    String measured =
        run.outcome() + ", " + run.detail() + ", " + age.toHours() + " h ago (" + finished + ")";
    if ("refused".equals(run.outcome())) {
      out.add(
          CheckResult.failed(
              "last sync",
              measured,
              "Nobody's access changes until a sync runs: check the last import, then run"
                  + " `accounts sync-groups --dry-run`, and with --force if the change is right."));
    } else if (!"done".equals(run.outcome())) {
      out.add(
          CheckResult.failed(
              "last sync",
              measured,
              "See the service's log for why, then `accounts sync-groups`."));
    } else if (age.compareTo(syncPeriod.multipliedBy(2)) > 0) {
      out.add(CheckResult.warn("last sync", measured, every + ": is serve running?"));
    } else {
      out.add(CheckResult.ok("last sync", measured));
    }
  }

  private void lastHousekeeping(Connection c, List<CheckResult> out) throws SQLException {
    JobLeases.LastRun run = JobLeases.last(c, Housekeeping.JOB).orElse(null);
    if (run == null || run.finishedAt() == null) {
      out.add(
          CheckResult.ok(
              "last housekeeping",
              run == null
                  ? "no pass yet: serve makes one a minute after it starts, then daily"
                  : "running since " + run.startedAt()));
      return;
    }
    Instant finished = run.finishedAt();
    Duration age = Duration.between(finished, clock.instant());
    String measured =
        run.outcome() + ", " + run.detail() + ", " + age.toHours() + " h ago (" + finished + ")";
    if (!"done".equals(run.outcome())) {
      out.add(
          CheckResult.failed(
              "last housekeeping",
              measured,
              "Personal data past its time stays until a pass succeeds: see the service's log,"
                  + " then `accounts housekeeping`."));
    } else if (age.compareTo(Housekeeping.PERIOD.multipliedBy(2)) > 0) {
      out.add(
          CheckResult.warn(
              "last housekeeping", measured, "serve makes a pass daily: is serve running?"));
    } else {
      out.add(CheckResult.ok("last housekeeping", measured));
    }
  }

  private void outbox(Connection c, List<CheckResult> out) throws SQLException {
    Outbox.Backlog backlog = Outbox.backlog(c);
    long pending = backlog.pending() + backlog.sending();
    long failed = backlog.failed();
    Instant oldest = backlog.oldestWaiting();
    Duration waited = oldest == null ? Duration.ZERO : Duration.between(oldest, clock.instant());
    String measured =
        pending
            + " waiting"
            + (oldest == null ? "" : " (oldest " + waited.toMinutes() + " min)")
            + ", "
            + failed
            + " failed";
    if (failed > 0) {
      out.add(
          CheckResult.warn(
              "outbox",
              measured,
              "Some mail could not be sent: `accounts outbox list --status failed` shows why,"
                  + " `accounts outbox resend --all-failed` sends it again."));
    } else if (waited.compareTo(MAIL_WAIT_WARNING) > 0) {
      out.add(
          CheckResult.warn(
              "outbox",
              measured,
              "Mail is not going out: is `serve` running, and does the smtp line pass?"));
    } else {
      out.add(CheckResult.ok("outbox", measured));
    }
  }
}
