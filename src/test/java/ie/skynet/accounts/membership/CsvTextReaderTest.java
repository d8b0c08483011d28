package ie.skynet.accounts.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CsvTextReaderTest {
  private static String readAll(Reader reader) throws IOException {
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[7]; // small reads cross every boundary
    int n;
    while ((n = reader.read(buffer, 0, buffer.length)) >= 0) {
      text.append(buffer, 0, n);
    }
    return text.toString();
  }

  private static CsvTextReader reader(byte[] bytes) {
    return new CsvTextReader(new ByteArrayInputStream(bytes));
  }

  @Test
  void dropsALeadingByteOrderMarkOnly() throws IOException {
    byte[] bytes = "\uFEFFa,\uFEFFb\n".getBytes(StandardCharsets.UTF_8);
    assertThat(readAll(reader(bytes))).isEqualTo("a,\uFEFFb\n");
  }

  @Test
  void dropsAByteOrderMarkThatArrivesOneByteAtATime() throws IOException {
    byte[] bytes = "\uFEFFa,b\n".getBytes(StandardCharsets.UTF_8);
    InputStream trickle =
        new FilterInputStream(new ByteArrayInputStream(bytes)) {
          @Override
          public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(len, 1));
          }
        };
    assertThat(readAll(new CsvTextReader(trickle))).isEqualTo("a,b\n");
  }

  @Test
  void countsLinesAsTheParserDoesWithCrLfAndLoneCr() {
    byte[] bytes = "h1,h2\r\na,b\rc,\"d\r\ne\"\n\u00ff".getBytes(StandardCharsets.ISO_8859_1);
    assertThatThrownBy(() -> readAll(reader(bytes)))
        .isInstanceOfSatisfying(
            CsvInputException.class,
            e -> assertThat(e.line()).isEqualTo(5)); // CRLF, CR, CRLF in quotes, LF
  }

  @Test
  void whitespaceAfterAClosingQuoteIsNotAProblem() throws IOException {
    CsvTextReader reader = reader("a,\"b\" \t\f,c\n".getBytes(StandardCharsets.UTF_8));
    readAll(reader);
    assertThat(reader.quotingProblem()).isNull();
  }

  @Test
  void aRecordOfExactlyTheLimitIsAccepted() throws IOException {
    String record = "x".repeat(CsvTextReader.MAX_RECORD_CHARS) + "\r\n";
    assertThat(readAll(reader((record + record).getBytes(StandardCharsets.UTF_8))))
        .hasSize(2 * record.length());
  }

  @Test
  void decodesMultiByteCharactersSplitAcrossReads() throws IOException {
    String text = "Seán,Ó Briain,Zoë,€,😀\n".repeat(20_000); // > one 64 KiB buffer
    assertThat(readAll(reader(text.getBytes(StandardCharsets.UTF_8)))).isEqualTo(text);
  }

  @Test
  void invalidByteFarIntoTheFileIsReportedAtItsExactOffsetAfterTheGoodText() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    String good =
        "W1,Ciarán,x\n".repeat(10_000); // 130,000 bytes: the bad byte is in the third buffer
    bytes.writeBytes(good.getBytes(StandardCharsets.UTF_8));
    bytes.writeBytes("W2,ok,".getBytes(StandardCharsets.UTF_8));
    bytes.write(0xFF);
    CsvTextReader reader = reader(bytes.toByteArray());
    StringBuilder delivered = new StringBuilder();
    assertThatThrownBy(
            () -> {
              int c;
              while ((c = reader.read()) >= 0) {
                delivered.append((char) c);
              }
            })
        .isInstanceOfSatisfying(
            CsvInputException.class,
            e -> {
              assertThat(e.line()).isEqualTo(10_001);
              assertThat(e.field()).isEqualTo(3);
              assertThat(e.reason())
                  .contains("byte offset 130006", "line 10001, character 7", "0xFF");
            });
    assertThat(delivered.toString()).isEqualTo(good + "W2,ok,");
  }

  @Test
  void quotedFieldsSpanLinesAndDoubledQuotesStayInside() throws IOException {
    CsvTextReader reader =
        reader("a,\"b \"\"x\"\"\nc, d\",e\nf\n".getBytes(StandardCharsets.UTF_8));
    assertThat(readAll(reader)).isEqualTo("a,\"b \"\"x\"\"\nc, d\",e\nf\n");
    assertThat(reader.quotingProblem()).isNull();
  }

  @Test
  void locatesTextAfterAClosingQuote() throws IOException {
    CsvTextReader reader = reader("h1,h2,h3\na,\"b\" x,c\n".getBytes(StandardCharsets.UTF_8));
    readAll(reader);
    CsvInputException problem = reader.quotingProblem();
    assertThat(problem).isNotNull();
    assertThat(problem.line()).isEqualTo(2);
    assertThat(problem.field()).isEqualTo(2);
    assertThat(problem.reason()).contains("character 'x' at line 2, character 7");
  }

  @Test
  void aQuoteAfterWhitespaceAfterAClosingQuoteIsAProblemNotADoubledQuote() throws IOException {
    // FastCSV would read "b" "c" as one field; the reader must catch it, as Commons CSV did.
    CsvTextReader reader = reader("h1,h2,h3\na,\"b\" \"c\",d\n".getBytes(StandardCharsets.UTF_8));
    readAll(reader);
    CsvInputException problem = reader.quotingProblem();
    assertThat(problem).isNotNull();
    assertThat(problem.line()).isEqualTo(2);
    assertThat(problem.field()).isEqualTo(2);
    assertThat(problem.reason()).contains("character '\"' at line 2, character 7");
  }

  @Test
  void anUnclosedQuoteFailsAtTheEndNamingWhereItOpened() {
    CsvTextReader reader = reader("h1,h2\na,\"b\nc,d\n".getBytes(StandardCharsets.UTF_8));
    assertThatThrownBy(() -> readAll(reader))
        .isInstanceOfSatisfying(
            CsvInputException.class,
            e -> {
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.field()).isEqualTo(2);
              assertThat(e.reason()).contains("quote at line 2, character 3", "never closed");
            });
  }

  @Test
  void aRecordLongerThanTheLimitStopsTheReader() {
    byte[] bytes =
        ("h\n\"" + "x\n".repeat(CsvTextReader.MAX_RECORD_CHARS)).getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> readAll(reader(bytes)))
        .isInstanceOfSatisfying(
            CsvInputException.class,
            e -> {
              assertThat(e.line()).isEqualTo(2);
              assertThat(e.reason())
                  .contains("longer than 65,536 characters", "line 2, character 1");
            });
  }
}
