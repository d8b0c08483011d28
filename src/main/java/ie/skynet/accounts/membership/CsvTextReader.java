package ie.skynet.accounts.membership;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Decodes an export as strict UTF-8 for the CSV parser, and knows where in the file it is.
 *
 * <p>The JDK's readers replace invalid bytes with U+FFFD without a word; here any invalid byte
 * stops the import with its line and byte offset. A leading byte order mark (Excel writes one) is
 * dropped.
 *
 * <p>The reader also follows RFC 4180 quoting alongside the parser, only to locate problems: the
 * line, column and field of invalid UTF-8, of the first character that breaks quoting, and of a
 * quote that is never closed, which the parser (FastCSV, told to accept text after a closing quote)
 * does not report at all. It also bounds the length of one record, so a stray quote cannot make the
 * parser buffer the rest of a huge file.
 */
final class CsvTextReader extends Reader {
  static final int MAX_RECORD_CHARS = 64 * 1024;

  private static final int START = 0; // at the start of a field
  private static final int UNQUOTED = 1;
  private static final int QUOTED = 2;
  private static final int QUOTE_IN_QUOTED = 3; // a quote inside a quoted field: closing or doubled
  private static final int AFTER_CLOSING_QUOTE = 4; // whitespace after the closing quote

  private final InputStream in;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024).flip();
  private final CharBuffer chars = CharBuffer.allocate(64 * 1024).flip();
  private long bytesDecoded; // bytes consumed by the decoder before `bytes`' position
  private boolean endOfInput;
  private boolean first = true;
  private @Nullable CsvInputException pending; // thrown once the good text before it is read

  // Where the tracking scan is: every character handed to the parser has been scanned.
  private int state = START;
  private long position; // characters scanned so far
  private long line = 1;
  private long lineStart;
  private int field = 1;
  private long recordStart;
  private long recordStartLine = 1;
  private boolean afterCarriageReturn;
  private long quoteLine;
  private long quoteColumn;
  private int quoteField;
  private @Nullable CsvInputException quotingProblem;

  CsvTextReader(InputStream in) {
    this.in = in;
  }

  /**
   * The first quoting problem seen, to explain a parser failure; the reader runs ahead of the
   * parser, so this is the problem the parser tripped on.
   */
  @Nullable CsvInputException quotingProblem() {
    return quotingProblem;
  }

  @Override
  public int read(char[] buffer, int offset, int length) throws IOException {
    if (length == 0) {
      return 0;
    }
    while (!chars.hasRemaining()) {
      if (pending != null) {
        throw pending;
      }
      if (!fill()) {
        return -1;
      }
    }
    int n = Math.min(length, chars.remaining());
    chars.get(buffer, offset, n);
    return n;
  }

  /** Decodes and scans more text; false at the end of the input. */
  private boolean fill() throws IOException {
    if (endOfInput && !bytes.hasRemaining()) {
      if (state != QUOTED || pending != null) {
        return false;
      }
      pending = unclosedQuote();
      if (quotingProblem == null) {
        quotingProblem = pending;
      }
      return true;
    }
    if (!endOfInput) {
      bytes.compact();
      int read = in.read(bytes.array(), bytes.position(), bytes.remaining());
      if (read < 0) {
        endOfInput = true;
      } else {
        bytes.position(bytes.position() + read);
      }
      bytes.flip();
    }
    chars.clear();
    int before = bytes.position();
    CoderResult result = decoder.decode(bytes, chars, endOfInput);
    if (endOfInput && result.isUnderflow()) {
      result = decoder.flush(chars);
    }
    bytesDecoded += bytes.position() - before;
    chars.flip();
    if (first && chars.hasRemaining()) {
      first = false;
      if (chars.get(chars.position()) == '\uFEFF') {
        chars.position(chars.position() + 1);
      }
    }
    scan();
    if (result.isError() && pending == null) {
      pending = invalidUtf8(result.length());
    }
    return true;
  }

  /**
   * Follows the quoting over the newly decoded characters; stops the text at an over-long record.
   */
  private void scan() {
    char[] text = chars.array();
    int base = chars.arrayOffset();
    int end = chars.limit();
    for (int i = chars.position(); i < end; i++, position++) {
      char c = text[base + i];
      if (c == '\n' || c == '\r') {
        lineEnd(c);
        continue;
      }
      afterCarriageReturn = false;
      if (position - recordStart >= MAX_RECORD_CHARS) {
        tooLong();
        chars.limit(i);
        return;
      }
      switch (state) {
        case UNQUOTED -> { // most characters: inside a plain field
          if (c == ',') {
            field++;
            state = START;
          }
        }
        case START -> {
          if (c == '"') {
            state = QUOTED;
            quoteLine = line;
            quoteColumn = position - lineStart + 1;
            quoteField = field;
          } else if (c == ',') {
            field++;
          } else {
            state = UNQUOTED;
          }
        }
        case QUOTED -> {
          if (c == '"') {
            state = QUOTE_IN_QUOTED;
          }
        }
        case QUOTE_IN_QUOTED -> {
          if (c == '"') {
            state = QUOTED;
          } else if (c == ',') {
            field++;
            state = START;
          } else if (Character.isWhitespace(c)) { // allowed here: stripped from the value
            state = AFTER_CLOSING_QUOTE;
          } else {
            textAfterQuote(c);
            state = UNQUOTED;
          }
        }
        default -> { // AFTER_CLOSING_QUOTE: only whitespace until the comma (even a quote is text)
          if (c == ',') {
            field++;
            state = START;
          } else if (!Character.isWhitespace(c)) {
            textAfterQuote(c);
            state = UNQUOTED;
          }
        }
      }
    }
  }

  /**
   * CR, LF and CRLF each end a line, counted as FastCSV counts them (so CR-only files from old Macs
   * work); outside a quoted field they also end the record.
   */
  private void lineEnd(char c) {
    if (!(c == '\n' && afterCarriageReturn)) {
      line++;
    }
    afterCarriageReturn = c == '\r';
    lineStart = position + 1;
    if (state != QUOTED) {
      state = START;
      field = 1;
      recordStart = position + 1;
      recordStartLine = line;
    }
  }

  private void textAfterQuote(char c) {
    if (quotingProblem == null) {
      quotingProblem =
          new CsvInputException(
              line,
              field,
              String.format(
                  Locale.ROOT,
                  "character %s at line %d, character %d follows the closing quote of a quoted"
                      + " field; expected a comma or the end of the line (a quote inside a quoted"
                      + " field must be doubled: \"\")",
                  describe(c),
                  line,
                  position - lineStart + 1));
    }
  }

  private void tooLong() {
    pending =
        new CsvInputException(
            recordStartLine,
            state == QUOTED ? quoteField : field,
            String.format(
                Locale.ROOT,
                "the record starting at line %d is longer than %,d characters; a member row is far"
                    + " shorter (is a quote left open%s?)",
                recordStartLine,
                MAX_RECORD_CHARS,
                state == QUOTED
                    ? ", e.g. the one at line " + quoteLine + ", character " + quoteColumn
                    : ""));
  }

  private CsvInputException unclosedQuote() {
    return new CsvInputException(
        quoteLine,
        quoteField,
        String.format(
            Locale.ROOT,
            "the quote at line %d, character %d opens a quoted field that is never closed (the file"
                + " ends inside it: truncated, or a quote that should be doubled)",
            quoteLine,
            quoteColumn));
  }

  private CsvInputException invalidUtf8(int badLength) {
    StringBuilder hex = new StringBuilder();
    for (int i = 0; i < badLength && bytes.position() + i < bytes.limit(); i++) {
      hex.append(i == 0 ? "" : " ")
          .append(String.format(Locale.ROOT, "0x%02X", bytes.get(bytes.position() + i) & 0xff));
    }
    return new CsvInputException(
        line,
        field,
        String.format(
            Locale.ROOT,
            "invalid UTF-8 at byte offset %d (line %d, character %d): byte %s; expected UTF-8"
                + " text (save the export as \"CSV UTF-8\")",
            bytesDecoded,
            line,
            position - lineStart + 1,
            hex));
  }

  private static String describe(char c) {
    return Character.isISOControl(c) || Character.isWhitespace(c)
        ? String.format(Locale.ROOT, "U+%04X", (int) c)
        : "'" + c + "'";
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
