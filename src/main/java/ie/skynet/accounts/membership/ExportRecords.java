package ie.skynet.accounts.membership;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * FastCSV over the strict reader: records with the line each starts on. A file that cannot be
 * parsed further becomes a problem located by the reader, and the end of the records.
 *
 * <p>FastCSV is told to accept text after a closing quote (its strict mode would refuse the
 * whitespace RFC 4180 parsers traditionally skip there); the reader finds such text itself, and the
 * record holding it ends the records, as a parser error would.
 */
final class ExportRecords implements Closeable {
  /** One record and the 1-based line it starts on. */
  record Row(long line, String[] values) {}

  /** Why the records ended early: where and what, and whether a data row was lost with it. */
  record Stop(Reject reject, boolean dataRow) {}

  private final CsvReader<Row> reader;
  private final CloseableIterator<Row> records;
  private final CsvTextReader text;
  private List<String> header = List.of();
  private long lastStart;
  private String @Nullable [] lastValues;
  private @Nullable Stop stop;
  private boolean ended;

  ExportRecords(CsvTextReader text) {
    this.text = text;
    this.reader =
        CsvReader.builder()
            .skipEmptyLines(false) // blank rows are counted as skipped, not passed over unseen
            .allowExtraCharsAfterClosingQuote(true) // located by the text reader instead
            .allowUnclosedQuote(false)
            .extraFieldStrategy(FieldMismatchStrategy.IGNORE) // the validator reports the count
            .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
            .build(new RowHandler(), text);
    this.records = reader.iterator();
  }

  /** Names the columns of later problems, once the header is known. */
  void header(List<String> names) {
    this.header = List.copyOf(names);
  }

  /** The line after the last record read. */
  long nextLine() {
    String[] values = lastValues;
    return values == null ? 1 : lastStart + lineBreaks(values) + 1;
  }

  /**
   * Why the records ended before the end of the file, if they did: a problem that stops the
   * parsing. Taken once; the caller records it.
   */
  @Nullable Stop takeStop() {
    Stop taken = stop;
    stop = null;
    return taken;
  }

  @Nullable Row next() {
    if (ended) {
      return null;
    }
    Row row;
    try {
      if (!records.hasNext()) {
        ended = true;
        return null;
      }
      row = records.next();
    } catch (UncheckedIOException e) {
      IOException cause = e.getCause();
      if (cause instanceof CsvInputException input) {
        return stop(located(input));
      }
      throw e;
    } catch (CsvParseException e) {
      CsvInputException located = text.quotingProblem();
      return stop(
          located != null
              ? located(located)
              : new Reject(nextLine(), null, null, "not valid CSV: " + e.getMessage()));
    }
    long line = row.line();
    String[] values = row.values();
    // The reader runs ahead of the parser: a quoting problem it saw belongs to this record only if
    // it lies within the record's lines.
    CsvInputException problem = text.quotingProblem();
    if (problem != null && problem.line() <= line + lineBreaks(values)) {
      return stop(located(problem));
    }
    lastStart = line;
    lastValues = values;
    return row;
  }

  private @Nullable Row stop(Reject reject) {
    ended = true;
    // A data row that could not be read is a row, and rejected.
    stop = new Stop(reject, !header.isEmpty());
    return null;
  }

  /** Line breaks inside the record's (quoted) fields, counted as the parser counts lines. */
  private static int lineBreaks(String[] values) {
    int breaks = 0;
    for (String value : values) {
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '\n' || c == '\r' && !(i + 1 < value.length() && value.charAt(i + 1) == '\n')) {
          breaks++;
        }
      }
    }
    return breaks;
  }

  private Reject located(CsvInputException problem) {
    Integer field = problem.field();
    String name = field != null && field <= header.size() ? header.get(field - 1) : null;
    return new Reject(problem.line(), field, name, problem.reason());
  }

  /**
   * Builds each record straight into a {@link Row}, with no limit on its fields (the text reader
   * already bounds a record's length).
   */
  private static final class RowHandler extends AbstractBaseCsvCallbackHandler<Row> {
    private String[] fields = new String[16];

    @Override
    protected void handleField(int index, char[] buffer, int offset, int length, boolean quoted) {
      if (index == fields.length) {
        fields = Arrays.copyOf(fields, index * 2);
      }
      fields[index] = new String(buffer, offset, length);
    }

    @Override
    protected void handleEmpty() {
      fields[0] = "";
    }

    @Override
    protected Row buildRecord() {
      return new Row(getStartingLineNumber(), Arrays.copyOf(fields, getFieldCount()));
    }
  }

  @Override
  public void close() throws IOException {
    reader.close();
  }
}
