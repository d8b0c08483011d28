package ie.skynet.accounts.membership;

import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.DatabaseException;
import ie.skynet.accounts.db.Transactions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a Wolves membership export, or the Wolves API's list, all or nothing.
 *
 * <p>The file is streamed: rows are validated and upserted inside one transaction as they are read.
 * The first rejected row stops the writing, but not the reading, so the report lists every problem
 * in the file; then the transaction is rolled back. The API's list is read whole first (its pages
 * cannot be rolled back, and a partial list must never be imported), then checked the same way and
 * written in one transaction. Both end alike: the empty-list check, the expiry guard, the dry run.
 * Every run except a dry run leaves a row in {@code import_runs}, whatever its outcome.
 */
public final class MembershipImporter {
  /** Rejects beyond this many are counted, not listed: a file that bad is the wrong file. */
  public static final int MAX_LISTED_REJECTS = 1000;

  private static final Logger log = LoggerFactory.getLogger(MembershipImporter.class);

  private final Database database;
  private final ImportSettings settings;
  private final Clock clock;
  private final MeterRegistry metrics;
  private final AuditLog audit;

  public MembershipImporter(
      Database database, ImportSettings settings, Clock clock, MeterRegistry metrics) {
    this.database = database;
    this.settings = settings;
    this.clock = clock;
    this.metrics = metrics;
    this.audit = new AuditLog(clock);
  }

  /** How a run ended; the tally holds the rest. */
  private record Outcome(
      ImportStatus status,
      String message,
      Memberships.@Nullable Changes changes,
      @Nullable String sha256) {

    static Outcome failed(String message) {
      return new Outcome(ImportStatus.FAILED, message, null, null);
    }

    Outcome hashed(String sha256) {
      return new Outcome(status, message, changes, sha256);
    }
  }

  public ImportReport importCsv(Path file, ImportOptions options) {
    return run(
        CSV,
        file.toString(),
        options,
        (connection, tally) -> {
          try {
            return execute(file, options, connection, tally);
          } catch (IOException | UncheckedIOException e) {
            return Outcome.failed(readFailure(file, e));
          }
        });
  }

  /**
   * Imports the Wolves API's list: every page is read before anything is written, then the members
   * go through the same checks, guard and single transaction as an export's rows.
   */
  public ImportReport importWolves(WolvesApi api, ImportOptions options) {
    return run(
        WOLVES_API,
        api.source(),
        options,
        (connection, tally) -> {
          FetchedMembers fetched;
          try {
            fetched = api.fetchMembers();
          } catch (WolvesApiException e) {
            return Outcome.failed(e.getMessage() + "; nothing was imported");
          }
          return importFetched(fetched, options, connection, tally).hashed(fetched.sha256());
        });
  }

  /** Where an import's rows come from, as the history, the audit log and the metrics name it. */
  private record Source(String code, String action, String what) {}

  private static final Source CSV = new Source("csv", "import-csv", "file");
  private static final Source WOLVES_API =
      new Source("wolves-api", "sync-wolves", "list from the Wolves API");

  /** An import's reading and writing, in the run that records it. */
  @FunctionalInterface
  private interface Body {
    Outcome run(Connection connection, ImportTally tally) throws SQLException;
  }

  private ImportReport run(Source source, String name, ImportOptions options, Body body) {
    try (Connection connection = database.connect()) {
      Long runId =
          options.dryRun()
              ? null
              : ImportRunLog.start(connection, source.code(), name, clock.instant());
      ImportTally tally = new ImportTally();
      Outcome outcome;
      try {
        outcome = body.run(connection, tally);
      } catch (SQLException | DatabaseException e) {
        log.error("import of {} failed in the database", name, e);
        outcome = Outcome.failed("database error, nothing was written: " + e.getMessage());
      } catch (RuntimeException | Error e) {
        // The transaction is already rolled back; the run must still be recorded as failed.
        log.error("import of {} failed", name, e);
        outcome = Outcome.failed("internal error, nothing was written: " + e);
      }
      ImportReport report = report(name, options, tally, outcome, runId);
      if (runId != null) {
        ImportRunLog.finish(connection, runId, report, clock.instant());
        audit.record(
            connection,
            new AuditLog.Entry(
                source.action(),
                "import",
                AuditLog.ANONYMOUS,
                AuditLog.ANONYMOUS,
                report.status() == ImportStatus.OK
                    ? AuditLog.Outcome.DONE
                    : AuditLog.Outcome.REFUSED,
                String.format(
                    "%s (run %d): %d rows, %d inserted, %d updated, %d rejected",
                    report.message(),
                    runId,
                    report.rowsRead(),
                    report.inserted(),
                    report.updated(),
                    report.rejected())));
      }
      Counter.builder("accounts.import.runs")
          .description("Imports run by this process, by source and outcome (ok, rejected, failed)")
          .tag("source", source.code())
          .tag("outcome", report.status().code())
          .tag("dry_run", Boolean.toString(options.dryRun()))
          .register(metrics)
          .increment();
      return report;
    } catch (SQLException e) {
      throw new DatabaseException("recording the import of " + name + " failed", e);
    }
  }

  private Outcome execute(
      Path file, ImportOptions options, Connection connection, ImportTally tally)
      throws IOException, SQLException {
    MessageDigest digest = sha256();
    try (InputStream raw = Files.newInputStream(file);
        DigestInputStream hashed = new DigestInputStream(raw, digest);
        CsvTextReader text = new CsvTextReader(hashed);
        ExportRecords export = new ExportRecords(text)) {
      // All or nothing: kept only when accepted, and never on a dry run.
      Outcome outcome =
          Transactions.inTransaction(
              connection,
              c -> importRecords(export, options, c, tally),
              result -> result.status() == ImportStatus.OK && !options.dryRun());
      // Hash the whole file even when reading stopped early: the run records which file it was.
      hashed.transferTo(OutputStream.nullOutputStream());
      return outcome.hashed(HexFormat.of().formatHex(digest.digest()));
    }
  }

  private Outcome importRecords(
      ExportRecords export, ImportOptions options, Connection connection, ImportTally tally)
      throws SQLException {
    ExportRecords.Row header = export.next();
    if (header == null) {
      ExportRecords.Stop stop = export.takeStop();
      if (stop != null) {
        tally.reject(stop.reject());
      } else {
        tally.reject(
            new Reject(
                1,
                1,
                null,
                "the file is empty; expected a header line naming " + expectedColumns()));
      }
      return rejected(tally);
    }
    MemberRowValidator.Layout layout = layout(header.values(), tally);
    if (layout == null) {
      return rejected(tally);
    }
    export.header(layout.header());
    String datePattern =
        options.dateFormat() != null ? options.dateFormat() : settings.dateFormat();
    RowReader reader = new RowReader(export, new MemberRowValidator(layout, datePattern), tally);

    // The reader starts first: while its threads warm up, the store counts the members there are.
    Thread thread = Thread.ofPlatform().name("import-reader").start(reader);
    Memberships.Load opened;
    try {
      opened = Memberships.load(connection, LocalDate.now(clock));
    } catch (SQLException | RuntimeException | Error e) {
      reader.cancel();
      join(thread);
      throw e;
    }
    try (Memberships.Load store = opened) {
      try {
        List<Member> batch;
        while ((batch = reader.take()) != RowReader.END) {
          store.addAll(batch);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("import interrupted", e);
      } finally {
        reader.cancel();
        join(thread);
      }
      reader.rethrowFailure();

      return conclude(
          store,
          options,
          tally,
          CSV,
          () ->
              new Reject(
                  export.nextLine(),
                  1,
                  null,
                  "the export has no member rows after the header"
                      + (tally.skipped > 0 ? " (only " + tally.skipped + " blank rows)" : "")));
    }
  }

  /**
   * The end of every import, once its valid members are in the store: nothing kept after a reject
   * or of an empty list, the expiry guard, and the dry run.
   */
  private Outcome conclude(
      Memberships.Load store,
      ImportOptions options,
      ImportTally tally,
      Source source,
      Supplier<Reject> whenEmpty)
      throws SQLException {
    if (tally.hasRejects()) {
      return rejected(tally);
    }
    if (tally.members == 0) {
      tally.reject(whenEmpty.get());
      return rejected(tally);
    }
    Memberships.Changes changes = store.finish();
    if (changes.lapsed() > 0 && !options.force()) {
      long currentBefore = store.currentBefore();
      if (changes.lapsed() > settings.expiryGuardShare() * currentBefore) {
        return new Outcome(
            ImportStatus.FAILED, guardRefusal(changes, currentBefore, source), changes, null);
      }
    }
    if (options.dryRun()) {
      return new Outcome(
          ImportStatus.OK,
          "dry run: the " + source.what() + " is valid; nothing was written",
          changes,
          null);
    }
    return new Outcome(
        ImportStatus.OK,
        changes.lapsed() > 0 && options.force()
            ? "imported with --force: " + changes.lapsed() + " current members now lapsed"
            : "imported",
        changes,
        null);
  }

  /**
   * Checks a fetched list as {@link RowReader} checks an export (each member, then repeated IDs),
   * then writes it in one transaction, kept only when accepted and not a dry run.
   */
  private Outcome importFetched(
      FetchedMembers fetched, ImportOptions options, Connection connection, ImportTally tally)
      throws SQLException {
    List<Member> members = checked(fetched, tally);
    if (tally.hasRejects()) {
      return rejected(tally);
    }
    return Transactions.inTransaction(
        connection,
        c -> {
          try (Memberships.Load store = Memberships.load(c, LocalDate.now(clock))) {
            store.addAll(members);
            return conclude(
                store,
                options,
                tally,
                WOLVES_API,
                () ->
                    new Reject(
                        1,
                        null,
                        null,
                        "the Wolves API listed no members; expected at least one (is the key for"
                            + " the right society?)"));
          }
        },
        result -> result.status() == ImportStatus.OK && !options.dryRun());
  }

  /** The valid members of a fetched list; every problem goes to the tally. */
  private static List<Member> checked(FetchedMembers fetched, ImportTally tally) {
    fetched.problems().forEach(tally::reject);
    if (tally.hasRejects()) {
      return List.of();
    }
    List<String> fields = fetched.fields();
    MemberRowValidator validator =
        new MemberRowValidator(
            new MemberRowValidator.Layout(fields.size(), 0, 1, 2, 3, 4, 5, fields), null, false);
    FirstLines firstOfId = new FirstLines();
    List<Member> members = new ArrayList<>(fetched.rows().size());
    for (FetchedMembers.Row row : fetched.rows()) {
      tally.rowsRead++;
      if (!row.problems().isEmpty()) {
        tally.rejectedRows++;
        row.problems().forEach(tally::reject);
        continue;
      }
      switch (validator.validate(row.position(), row.values())) {
        case MemberRowValidator.Invalid invalid -> {
          tally.rejectedRows++;
          String id = row.values()[0];
          for (Reject reject : invalid.rejects()) {
            // No columns in JSON; the member's ID finds the record in Wolves.
            tally.reject(
                new Reject(
                    reject.line(),
                    null,
                    reject.field(),
                    reject.reason()
                        + (id.isBlank() || fields.get(0).equals(reject.field())
                            ? ""
                            : " (member " + MemberRowValidator.quote(id.strip()) + ")")));
          }
        }
        case MemberRowValidator.Valid valid -> {
          Member member = valid.member();
          long first = firstOfId.putIfAbsent(member.idWolves(), row.position());
          if (first != FirstLines.ABSENT) {
            tally.rejectedRows++;
            tally.reject(
                new Reject(
                    row.position(),
                    null,
                    fields.get(0),
                    "duplicate member ID "
                        + MemberRowValidator.quote(member.idWolves())
                        + ": member "
                        + first
                        + " of the list has it too; each member must appear once"));
          } else {
            tally.members++;
            members.add(member);
          }
        }
      }
    }
    return members;
  }

  private String guardRefusal(Memberships.Changes changes, long currentBefore, Source source) {
    return String.format(
        Locale.ROOT,
        "refused, nothing was written: this %s would move %d of %d current members (%.0f%%) to"
            + " a past expiry, more than the %.0f%% allowed by import.expiry-guard. Check that it is"
            + " complete and current; if it is right, run again with --force.",
        source.what(),
        changes.lapsed(),
        currentBefore,
        100.0 * changes.lapsed() / currentBefore,
        100 * settings.expiryGuardShare());
  }

  /** Where each configured column is, or null after rejecting the header. */
  private MemberRowValidator.@Nullable Layout layout(String[] header, ImportTally tally) {
    List<String> names = new ArrayList<>();
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> duplicates = new HashMap<>();
    for (int i = 0; i < header.length; i++) {
      String name = header[i].strip();
      names.add(name);
      String key = name.toLowerCase(Locale.ROOT);
      if (index.putIfAbsent(key, i) != null) {
        duplicates.put(key, i);
      }
    }
    List<String> wanted = settings.columns().all();
    if (wanted.stream().noneMatch(c -> index.containsKey(c.toLowerCase(Locale.ROOT)))) {
      String found = String.join(",", names);
      tally.reject(
          new Reject(
              1,
              1,
              null,
              "none of the expected columns is in the header; expected comma-separated values with"
                  + " a header line naming "
                  + expectedColumns()
                  + ", found "
                  + MemberRowValidator.quote(found)
                  + (names.size() == 1 && (found.contains(";") || found.contains("\t"))
                      ? " (the file seems separated by ';' or tabs: export it as CSV with commas)"
                      : "")));
      return null;
    }
    int[] positions = new int[wanted.size()];
    for (int c = 0; c < wanted.size(); c++) {
      String key = wanted.get(c).toLowerCase(Locale.ROOT);
      Integer at = index.get(key);
      Integer again = duplicates.get(key);
      if (at == null) {
        tally.reject(
            new Reject(
                1,
                null,
                wanted.get(c),
                "missing column "
                    + MemberRowValidator.quote(wanted.get(c))
                    + "; expected a header line naming "
                    + expectedColumns()
                    + ", found "
                    + String.join(", ", names)));
      } else if (again != null) {
        tally.reject(
            new Reject(
                1,
                again + 1,
                wanted.get(c),
                "the header names column "
                    + MemberRowValidator.quote(wanted.get(c))
                    + " twice (columns "
                    + (at + 1)
                    + " and "
                    + (again + 1)
                    + "); expected it once"));
      } else {
        positions[c] = at;
      }
    }
    if (tally.hasRejects()) {
      return null;
    }
    return new MemberRowValidator.Layout(
        header.length,
        positions[0],
        positions[1],
        positions[2],
        positions[3],
        positions[4],
        positions[5],
        List.copyOf(names));
  }

  private String expectedColumns() {
    return String.join(", ", settings.columns().all());
  }

  private static Outcome rejected(ImportTally tally) {
    long problems = tally.problems();
    return new Outcome(
        ImportStatus.REJECTED,
        "rejected, nothing was written: "
            + problems
            + (problems == 1 ? " problem" : " problems")
            + (tally.rejectedRows > 0
                ? " in " + tally.rejectedRows + " of " + tally.rowsRead + " rows read"
                : "")
            + (tally.rejectsNotListed() > 0
                ? " (" + tally.rejectsNotListed() + " not listed)"
                : ""),
        null,
        null);
  }

  private static ImportReport report(
      String name,
      ImportOptions options,
      ImportTally tally,
      Outcome outcome,
      @Nullable Long runId) {
    // Counts of written rows only for an import that went through (or, dry, would have).
    Memberships.Changes changes = outcome.status() == ImportStatus.OK ? outcome.changes() : null;
    return new ImportReport(
        outcome.status(),
        name,
        outcome.sha256(),
        options.dryRun(),
        options.force(),
        tally.rowsRead,
        changes == null ? 0 : changes.inserted(),
        changes == null ? 0 : changes.updated(),
        changes == null ? 0 : changes.unchanged(),
        tally.skipped,
        tally.rejectedRows,
        tally.rejects(),
        tally.rejectsNotListed(),
        outcome.message(),
        runId);
  }

  private static String readFailure(Path file, Exception e) {
    Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
    if (cause instanceof NoSuchFileException) {
      return "cannot read " + file + ": no such file";
    }
    return "cannot read " + file + ": " + cause;
  }

  /** Waits for the thread to end, even if interrupted meanwhile (the interrupt is kept). */
  static void join(Thread thread) {
    boolean interrupted = false;
    while (true) {
      try {
        thread.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
