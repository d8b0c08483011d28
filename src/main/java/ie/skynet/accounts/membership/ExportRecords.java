package ie.skynet.accounts.membership;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.List;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.jspecify.annotations.Nullable;

/**
 * Commons CSV over the strict reader: records with the line each starts on. A file that cannot be
 * parsed further becomes a reject located by the reader, and the end of the records.
 */
final class ExportRecords {
  /** One record and the 1-based line it starts on. */
  record Row(long line, String[] values) {}

  private final Iterator<CSVRecord> records;
  private final CSVParser parser;
  private final CsvTextReader text;
  private final ImportTally tally;
  private List<String> header = List.of();
  private long lastLine;

  ExportRecords(CSVParser parser, CsvTextReader text, ImportTally tally) {
    this.records = parser.iterator();
    this.parser = parser;
    this.text = text;
    this.tally = tally;
  }

  /** Names the columns of later problems, once the header is known. */
  void header(List<String> names) {
    this.header = List.copyOf(names);
  }

  /** The line after the last record read. */
  long nextLine() {
    return lastLine + 1;
  }

  @Nullable Row next() {
    CSVRecord record;
    try {
      if (!records.hasNext()) {
        return null;
      }
      record = records.next();
    } catch (UncheckedIOException e) {
      IOException cause = e.getCause();
      if (cause instanceof CsvInputException input) {
        tally.reject(located(input));
      } else if (cause instanceof CSVException) {
        CsvInputException located = text.quotingProblem();
        tally.reject(
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
      if (!header.isEmpty()) { // a data row that could not be read is a row, and rejected
        tally.rowsRead++;
        tally.rejectedRows++;
      }
      return null;
    }
    // The iterator has read exactly this record, so the parser's line count is where it ends.
    long line = lastLine + 1;
    lastLine = parser.getCurrentLineNumber();
    return new Row(line, record.values());
  }

  private Reject located(CsvInputException problem) {
    Integer field = problem.field();
    String name = field != null && field <= header.size() ? header.get(field - 1) : null;
    return new Reject(problem.line(), field, name, problem.reason());
  }
}
