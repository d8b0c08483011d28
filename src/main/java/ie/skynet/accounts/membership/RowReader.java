package ie.skynet.accounts.membership;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Reads an export's records, validates them and hands valid members to the writer in batches. It
 * runs on its own thread and parses on another: decoding and parsing, validating, and writing each
 * take a similar share of the time, and the writer spends much of its own in SQLite's C code, so
 * the three overlap even on two cores. After the first reject it hands over nothing more but reads
 * on, so that every problem in the file is reported.
 */
final class RowReader implements Runnable {
  static final List<Member> END = List.of();
  private static final List<ExportRecords.Row> END_OF_ROWS = List.of();
  private static final int BATCH = 512;

  private final BlockingQueue<List<Member>> batches = new ArrayBlockingQueue<>(16);
  private final BlockingQueue<List<ExportRecords.Row>> rows = new ArrayBlockingQueue<>(16);
  private volatile boolean stopParsing;
  private @Nullable Throwable parseFailure;
  private final ExportRecords export;
  private final MemberRowValidator validator;
  private final ImportTally tally;
  private volatile boolean cancelled;
  private @Nullable Throwable failure;

  RowReader(ExportRecords export, MemberRowValidator validator, ImportTally tally) {
    this.export = export;
    this.validator = validator;
    this.tally = tally;
  }

  /** The next batch of valid members, or {@link #END}. */
  List<Member> take() throws InterruptedException {
    return batches.take();
  }

  /** Tells the reader the writer has stopped; it then stops reading too. */
  void cancel() {
    cancelled = true;
  }

  /**
   * After the thread ended: rethrows what stopped it, if anything but the file's content did. An
   * {@link Error} counts too: the writer must not commit the rows read before it.
   */
  void rethrowFailure() {
    if (failure instanceof RuntimeException e) {
      throw e;
    }
    if (failure instanceof Error e) {
      throw e;
    }
  }

  @Override
  public void run() {
    Thread parser = Thread.ofPlatform().name("import-parser").start(this::parse);
    try {
      read();
    } catch (RuntimeException | Error e) {
      failure = e;
    } finally {
      stopParsing = true;
      MembershipImporter.join(parser);
      if (failure == null) {
        failure = parseFailure;
      }
      hand(END);
    }
  }

  /** On the parser's thread: the export's records, in batches, then {@link #END_OF_ROWS}. */
  private void parse() {
    try {
      List<ExportRecords.Row> batch = new ArrayList<>(BATCH);
      ExportRecords.Row row;
      while (!stopParsing && (row = export.next()) != null) {
        batch.add(row);
        if (batch.size() == BATCH) {
          handRows(batch);
          batch = new ArrayList<>(BATCH);
        }
      }
      if (!batch.isEmpty()) {
        handRows(batch);
      }
    } catch (RuntimeException | Error e) {
      parseFailure = e;
    } finally {
      handRows(END_OF_ROWS);
    }
  }

  private void handRows(List<ExportRecords.Row> batch) {
    try {
      while (!rows.offer(batch, 100, TimeUnit.MILLISECONDS)) {
        if (stopParsing) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void read() {
    MemberRowValidator.Layout layout = validator.layout();
    FirstLines firstLineOfId = new FirstLines();
    List<Member> batch = new ArrayList<>(BATCH);
    List<ExportRecords.Row> parsed;
    while (!cancelled && (parsed = takeRows()) != END_OF_ROWS) {
      for (ExportRecords.Row row : parsed) {
        validate(row, layout, firstLineOfId, batch);
        if (batch.size() == BATCH) {
          hand(batch);
          batch = new ArrayList<>(BATCH);
        }
      }
    }
    if (cancelled) {
      return;
    }
    // The parser has ended (it handed over its last rows): what stopped it is ours to record.
    ExportRecords.Stop stop = export.takeStop();
    if (stop != null) {
      if (stop.dataRow()) {
        tally.rowsRead++;
        tally.rejectedRows++;
      }
      tally.reject(stop.reject());
    }
    if (!tally.hasRejects() && !batch.isEmpty()) {
      hand(batch);
    }
  }

  private List<ExportRecords.Row> takeRows() {
    try {
      return rows.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("import interrupted", e);
    }
  }

  private void validate(
      ExportRecords.Row row,
      MemberRowValidator.Layout layout,
      FirstLines firstLineOfId,
      List<Member> batch) {
    tally.rowsRead++;
    if (blank(row.values())) {
      tally.skipped++;
      return;
    }
    switch (validator.validate(row.line(), row.values())) {
      case MemberRowValidator.Invalid invalid -> {
        tally.rejectedRows++;
        invalid.rejects().forEach(tally::reject);
      }
      case MemberRowValidator.Valid valid -> {
        Member member = valid.member();
        long first = firstLineOfId.putIfAbsent(member.idWolves(), row.line());
        if (first != FirstLines.ABSENT) {
          tally.rejectedRows++;
          tally.reject(
              new Reject(
                  row.line(),
                  layout.id() + 1,
                  layout.header().get(layout.id()),
                  "duplicate member ID "
                      + MemberRowValidator.quote(member.idWolves())
                      + ": line "
                      + first
                      + " has it too; each member must appear once"));
        } else {
          tally.members++;
          if (!tally.hasRejects()) {
            batch.add(member);
          }
        }
      }
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

  private static boolean blank(String[] values) {
    for (String value : values) {
      if (!value.isBlank()) {
        return false;
      }
    }
    return true;
  }
}
