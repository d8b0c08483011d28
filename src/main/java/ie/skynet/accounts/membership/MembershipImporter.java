package ie.skynet.accounts.membership;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.DatabaseException;
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
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a Wolves membership export, all or nothing.
 *
 * <p>The file is streamed: rows are validated and upserted inside one transaction as they are read.
 * The first rejected row stops the writing, but not the reading, so the report lists every problem
 * in the file; then the transaction is rolled back. Every run except a dry run leaves a row in
 * {@code import_runs}, whatever its outcome.
 */
public final class MembershipImporter {
  /** Rejects beyond this many are counted, not listed: a file that bad is the wrong file. */
  public static final int MAX_LISTED_REJECTS = 1000;

  private static final Logger log = LoggerFactory.getLogger(MembershipImporter.class);

  private static final CSVFormat FORMAT =
      CSVFormat.RFC4180
          .builder()
          .setIgnoreEmptyLines(false) // blank rows are counted as skipped, not passed over unseen
          .setIgnoreSurroundingSpaces(false)
          .setTrim(false)
          .get();

  private final Database database;
  private final ImportSettings settings;
  private final Clock clock;

  public MembershipImporter(Database database, ImportSettings settings, Clock clock) {
    this.database = database;
    this.settings = settings;
    this.clock = clock;
  }

  public ImportReport importCsv(Path file, ImportOptions options) {
    String name = file.toString();
    try (Connection connection = database.connect()) {
      Long runId =
          options.dryRun() ? null : ImportRunLog.start(connection, "csv", name, clock.instant());
      Run run = new Run(name, options);
      ImportReport report;
      try {
        report = run.execute(file, connection);
      } catch (IOException | UncheckedIOException e) {
        report = run.failed(readFailure(file, e));
      } catch (SQLException | DatabaseException e) {
        log.error("import of {} failed in the database", name, e);
        report = run.failed("database error, nothing was written: " + e.getMessage());
      }
      if (runId != null) {
        report = withRunId(report, runId);
        ImportRunLog.finish(connection, runId, report, clock.instant());
      }
      return report;
    } catch (SQLException e) {
      throw new DatabaseException("recording the import of " + name + " failed", e);
    }
  }

  private static String readFailure(Path file, Exception e) {
    Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
    if (cause instanceof NoSuchFileException) {
      return "cannot read " + file + ": no such file";
    }
    return "cannot read " + file + ": " + cause;
  }

  private static ImportReport withRunId(ImportReport r, long runId) {
    return new ImportReport(
        r.status(),
        r.file(),
        r.sha256(),
        r.dryRun(),
        r.forced(),
        r.rowsRead(),
        r.inserted(),
        r.updated(),
        r.unchanged(),
        r.skipped(),
        r.rejected(),
        r.rejects(),
        r.rejectsNotListed(),
        r.message(),
        runId);
  }

  /** The state of one import as it reads the file. */
  private final class Run {
    private final String file;
    private final ImportOptions options;
    private final List<Reject> rejects = new ArrayList<>();
    private long rejectsNotListed;
    private long rowsRead;
    private long skipped;
    private long rejectedRows;
    private long members;
    private @Nullable String sha256;
    private List<String> headerNames = List.of();

    Run(String file, ImportOptions options) {
      this.file = file;
      this.options = options;
    }

    ImportReport execute(Path path, Connection connection) throws IOException, SQLException {
      MessageDigest digest = sha256();
      try (InputStream raw = Files.newInputStream(path);
          DigestInputStream hashed = new DigestInputStream(raw, digest);
          CsvTextReader text = new CsvTextReader(hashed);
          CSVParser parser = CSVParser.builder().setReader(text).setFormat(FORMAT).get()) {
        connection.setAutoCommit(false);
        try {
          ImportReport report = importRows(parser, text, connection);
          // Hash the whole file even when reading stopped early: the run records which file it was.
          hashed.transferTo(OutputStream.nullOutputStream());
          sha256 = HexFormat.of().formatHex(digest.digest());
          return new ImportReport(
              report.status(),
              file,
              sha256,
              report.dryRun(),
              report.forced(),
              report.rowsRead(),
              report.inserted(),
              report.updated(),
              report.unchanged(),
              report.skipped(),
              report.rejected(),
              report.rejects(),
              report.rejectsNotListed(),
              report.message(),
              null);
        } finally {
          if (!connection.getAutoCommit()) {
            connection.rollback(); // a no-op after commit; undoes everything otherwise
            connection.setAutoCommit(true);
          }
        }
      }
    }

    private ImportReport importRows(CSVParser parser, CsvTextReader text, Connection connection)
        throws SQLException {
      Iterator<CSVRecord> records = parser.iterator();
      CSVRecord header = next(records, parser, text);
      if (header == null) {
        if (rejects.isEmpty()) {
          reject(
              new Reject(
                  1,
                  null,
                  null,
                  "the file is empty; expected a header line naming " + expectedColumns()));
        }
        return rejected();
      }
      MemberRowValidator.Layout layout = layout(header.values());
      if (layout == null) {
        return rejected();
      }
      String datePattern =
          options.dateFormat() != null ? options.dateFormat() : settings.dateFormat();
      MemberRowValidator validator = new MemberRowValidator(layout, datePattern);

      try (MemberStore store = new MemberStore(connection, LocalDate.now(clock))) {
        // Reading and validating runs beside the writing: each takes about as long as the other.
        RowReader reader = new RowReader(records, parser, text, validator, layout);
        Thread thread = Thread.ofPlatform().name("import-reader").start(reader);
        try {
          List<Member> batch;
          while ((batch = reader.batches.take()) != RowReader.END) {
            store.addAll(batch);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("import interrupted", e);
        } finally {
          reader.cancelled = true;
          join(thread);
        }
        reader.rethrowFailure();

        if (!rejects.isEmpty()) {
          return rejected();
        }
        if (members == 0) {
          reject(
              new Reject(
                  reader.lastLine + 1,
                  null,
                  null,
                  "the export has no member rows after the header"
                      + (skipped > 0 ? " (only " + skipped + " blank rows)" : "")));
          return rejected();
        }
        MemberStore.Changes changes = store.finish();
        double limit = settings.expiryGuardShare() * changes.currentBefore();
        if (changes.lapsed() > limit && changes.currentBefore() > 0 && !options.force()) {
          return report(
              ImportStatus.FAILED,
              changes,
              String.format(
                  Locale.ROOT,
                  "refused, nothing was written: this file would move %d of %d current members"
                      + " (%.0f%%) to a past expiry, more than the %.0f%% allowed by"
                      + " import.expiry-guard. Check that the export is complete and current;"
                      + " if it is right, run again with --force.",
                  changes.lapsed(),
                  changes.currentBefore(),
                  100.0 * changes.lapsed() / changes.currentBefore(),
                  100 * settings.expiryGuardShare()));
        }
        if (options.dryRun()) {
          connection.rollback();
          return report(
              ImportStatus.OK, changes, "dry run: the file is valid; nothing was written");
        }
        connection.commit();
        return report(
            ImportStatus.OK,
            changes,
            changes.lapsed() > 0 && options.force()
                ? "imported with --force: " + changes.lapsed() + " current members now lapsed"
                : "imported");
      }
    }

    private static void join(Thread thread) {
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

    /**
     * Parses and validates rows on its own thread, handing valid members to the writer in batches.
     * After the first reject it hands over nothing more, but reads on to report every problem. The
     * writer reads this run's counts and rejects only after joining the thread.
     */
    private final class RowReader implements Runnable {
      static final List<Member> END = List.of();
      private static final int BATCH = 512;

      final BlockingQueue<List<Member>> batches = new ArrayBlockingQueue<>(16);
      volatile boolean cancelled;
      long lastLine;
      private @Nullable Throwable failure;
      private final Iterator<CSVRecord> records;
      private final CSVParser parser;
      private final CsvTextReader text;
      private final MemberRowValidator validator;
      private final MemberRowValidator.Layout layout;

      RowReader(
          Iterator<CSVRecord> records,
          CSVParser parser,
          CsvTextReader text,
          MemberRowValidator validator,
          MemberRowValidator.Layout layout) {
        this.records = records;
        this.parser = parser;
        this.text = text;
        this.validator = validator;
        this.layout = layout;
        this.lastLine = parser.getCurrentLineNumber();
      }

      @Override
      public void run() {
        try {
          read();
        } catch (RuntimeException | Error e) {
          failure = e;
        } finally {
          hand(END);
        }
      }

      private void read() {
        Map<String, Long> firstLineOfId = new HashMap<>();
        List<Member> batch = new ArrayList<>(BATCH);
        CSVRecord record;
        while (!cancelled && (record = next(records, parser, text)) != null) {
          long line = lastLine + 1;
          lastLine = parser.getCurrentLineNumber();
          rowsRead++;
          String[] values = record.values();
          if (blank(values)) {
            skipped++;
            continue;
          }
          switch (validator.validate(line, values)) {
            case MemberRowValidator.Invalid invalid -> {
              rejectedRows++;
              invalid.rejects().forEach(Run.this::reject);
            }
            case MemberRowValidator.Valid valid -> {
              Member member = valid.member();
              Long first = firstLineOfId.putIfAbsent(member.idWolves(), line);
              if (first != null) {
                rejectedRows++;
                reject(
                    new Reject(
                        line,
                        layout.id() + 1,
                        layout.header().get(layout.id()),
                        "duplicate member ID "
                            + MemberRowValidator.quote(member.idWolves())
                            + ": line "
                            + first
                            + " has it too; each member must appear once"));
              } else {
                members++;
                if (rejects.isEmpty()) {
                  batch.add(member);
                  if (batch.size() == BATCH) {
                    hand(batch);
                    batch = new ArrayList<>(BATCH);
                  }
                }
              }
            }
          }
        }
        if (rejects.isEmpty() && !batch.isEmpty()) {
          hand(batch);
        }
      }

      /** Queues a batch for the writer, giving up if the writer has stopped. */
      private void hand(List<Member> batch) {
        try {
          while (!batches.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            if (cancelled) {
              return;
            }
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }

      void rethrowFailure() {
        if (failure instanceof RuntimeException e) {
          throw e;
        }
        if (failure instanceof Error e) {
          throw e;
        }
      }
    }

    /** The next record, or null at the end or when the file cannot be parsed further. */
    private @Nullable CSVRecord next(
        Iterator<CSVRecord> records, CSVParser parser, CsvTextReader text) {
      try {
        return records.hasNext() ? records.next() : null;
      } catch (UncheckedIOException e) {
        IOException cause = e.getCause();
        if (cause instanceof CsvInputException input) {
          reject(located(input));
        } else if (cause instanceof org.apache.commons.csv.CSVException) {
          CsvInputException located = text.quotingProblem();
          reject(
              located != null
                  ? located(located)
                  : new Reject(
                      parser.getCurrentLineNumber(),
                      null,
                      null,
                      "not valid CSV: " + cause.getMessage()));
        } else {
          throw e;
        }
        return null;
      }
    }

    private Reject located(CsvInputException problem) {
      Integer field = problem.field();
      String name =
          field != null && field <= headerNames.size() ? headerNames.get(field - 1) : null;
      return new Reject(problem.line(), field, name, problem.reason());
    }

    private MemberRowValidator.@Nullable Layout layout(String[] header) {
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
      headerNames = List.copyOf(names);
      int[] positions = new int[6];
      List<String> wanted = settings.columns().all();
      if (wanted.stream().noneMatch(c -> index.containsKey(c.toLowerCase(Locale.ROOT)))) {
        String found = String.join(",", names);
        reject(
            new Reject(
                1,
                null,
                null,
                "none of the expected columns is in the header; expected comma-separated values"
                    + " with a header line naming "
                    + expectedColumns()
                    + ", found "
                    + MemberRowValidator.quote(found)
                    + (names.size() == 1 && (found.contains(";") || found.contains("\t"))
                        ? " (the file seems separated by ';' or tabs: export it as CSV with"
                            + " commas)"
                        : "")));
        return null;
      }
      for (int c = 0; c < wanted.size(); c++) {
        String key = wanted.get(c).toLowerCase(Locale.ROOT);
        Integer at = index.get(key);
        if (at == null) {
          reject(
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
        } else if (duplicates.containsKey(key)) {
          reject(
              new Reject(
                  1,
                  duplicates.get(key) + 1,
                  wanted.get(c),
                  "the header names column "
                      + MemberRowValidator.quote(wanted.get(c))
                      + " twice (columns "
                      + (at + 1)
                      + " and "
                      + (duplicates.get(key) + 1)
                      + "); expected it once"));
        } else {
          positions[c] = at;
        }
      }
      if (!rejects.isEmpty()) {
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

    private void reject(Reject reject) {
      if (rejects.size() < MAX_LISTED_REJECTS) {
        rejects.add(reject);
      } else {
        rejectsNotListed++;
      }
    }

    private ImportReport rejected() {
      long total = rejects.size() + rejectsNotListed;
      String message =
          "rejected, nothing was written: "
              + total
              + (total == 1 ? " problem" : " problems")
              + (rejectedRows > 0 ? " in " + rejectedRows + " of " + rowsRead + " rows read" : "")
              + (rejectsNotListed > 0 ? " (" + rejectsNotListed + " not listed)" : "");
      return new ImportReport(
          ImportStatus.REJECTED,
          file,
          sha256,
          options.dryRun(),
          options.force(),
          rowsRead,
          0,
          0,
          0,
          skipped,
          rejectedRows,
          List.copyOf(rejects),
          rejectsNotListed,
          message,
          null);
    }

    private ImportReport report(ImportStatus status, MemberStore.Changes c, String message) {
      boolean ok = status == ImportStatus.OK;
      return new ImportReport(
          status,
          file,
          sha256,
          options.dryRun(),
          options.force(),
          rowsRead,
          ok ? c.inserted() : 0,
          ok ? c.updated() : 0,
          ok ? c.unchanged() : 0,
          skipped,
          0,
          List.of(),
          0,
          message,
          null);
    }

    ImportReport failed(String message) {
      return new ImportReport(
          ImportStatus.FAILED,
          file,
          sha256,
          options.dryRun(),
          options.force(),
          rowsRead,
          0,
          0,
          0,
          skipped,
          rejectedRows,
          List.copyOf(rejects),
          rejectsNotListed,
          message,
          null);
    }
  }

  private static boolean blank(String[] values) {
    for (String value : values) {
      if (!value.isBlank()) {
        return false;
      }
    }
    return true;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
