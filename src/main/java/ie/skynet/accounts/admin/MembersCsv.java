package ie.skynet.accounts.admin;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import ie.skynet.accounts.membership.Memberships;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.Objects;

/**
 * The members as a CSV file for a spreadsheet. Every cell is text someone typed (on Wolves or
 * here), and a spreadsheet runs a cell that starts like a formula: such a cell gets a leading
 * apostrophe, which spreadsheets read as "this is text" and do not show (OWASP's advice on CSV
 * injection). Quoting is the CSV library's.
 */
final class MembersCsv {
  static final String[] HEADER = {
    "Wolves ID", "Student Number", "Name", "Email", "Expiry", "Username", "Status"
  };

  private MembersCsv() {}

  /** Writes every member, one at a time; returns how many. */
  static long write(Memberships memberships, Writer out) {
    CsvWriter csv = CsvWriter.builder().lineDelimiter(LineDelimiter.CRLF).build(out);
    try {
      csv.writeRecord(HEADER);
      long rows =
          memberships.forEach(
              m ->
                  csv.writeRecord(
                      cell(m.idWolves()),
                      cell(m.idStudent()),
                      cell(m.name()),
                      cell(m.email()),
                      m.expiry() == null ? "" : m.expiry().toString(),
                      cell(m.username()),
                      cell(m.status())));
      csv.flush();
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("writing the members' CSV failed", e);
    }
  }

  /** The value as a cell no spreadsheet takes for a formula. */
  static String cell(@org.jspecify.annotations.Nullable String value) {
    String text = Objects.requireNonNullElse(value, "");
    if (!text.isEmpty() && "=+-@\t\r\n".indexOf(text.charAt(0)) >= 0) {
      return "'" + text;
    }
    return text;
  }
}
