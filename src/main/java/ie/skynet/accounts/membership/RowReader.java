package ie.skynet.accounts.membership;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Reads an export's records, validates them and hands valid members to the writer in batches, on
 * its own thread: parsing and writing each take about as long as the other. After the first reject
 * it hands over nothing more but reads on, so that every problem in the file is reported.
 */
final class RowReader implements Runnable {
  static final List<Member> END = List.of();
  private static final int BATCH = 512;

  private final BlockingQueue<List<Member>> batches = new ArrayBlockingQueue<>(16);
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
    try {
      read();
    } catch (RuntimeException | Error e) {
      failure = e;
    } finally {
      hand(END);
    }
  }

  private void read() {
    MemberRowValidator.Layout layout = validator.layout();
    Map<String, Long> firstLineOfId = new HashMap<>();
    List<Member> batch = new ArrayList<>(BATCH);
    ExportRecords.Row row;
    while (!cancelled && (row = export.next()) != null) {
      tally.rowsRead++;
      if (blank(row.values())) {
        tally.skipped++;
        continue;
      }
      switch (validator.validate(row.line(), row.values())) {
        case MemberRowValidator.Invalid invalid -> {
          tally.rejectedRows++;
          invalid.rejects().forEach(tally::reject);
        }
        case MemberRowValidator.Valid valid -> {
          Member member = valid.member();
          Long first = firstLineOfId.putIfAbsent(member.idWolves(), row.line());
          if (first != null) {
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
              if (batch.size() == BATCH) {
                hand(batch);
                batch = new ArrayList<>(BATCH);
              }
            }
          }
        }
      }
    }
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
