package ie.skynet.accounts.membership;

import ie.skynet.accounts.policy.EmailShape;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Checks the fields of one export row and turns them into a {@link Member}. Nothing is guessed: a
 * value that is not exactly what the column should hold is a reject naming what was expected.
 */
final class MemberRowValidator {
  static final int MAX_ID = 64;
  static final int MAX_NAME = 100;
  static final int MAX_EMAIL = EmailShape.MAX_LENGTH;
  static final int MAX_STUDENT_NUMBER = 20;
  static final int MIN_YEAR = 2000;
  static final int MAX_YEAR = 2199;

  private static final int DATE_CACHE_LIMIT = 4096;

  /** Where each configured column is in this export's header. */
  record Layout(
      int width,
      int id,
      int studentNumber,
      int firstName,
      int lastName,
      int email,
      int expiry,
      List<String> header) {}

  private final Layout layout;
  private final DateTimeFormatter dates;
  private final String datePattern;
  private final boolean dateOption;
  // Exports repeat a handful of expiry dates; parsing each once keeps large imports fast.
  private final Map<String, LocalDate> parsedDates = new HashMap<>();

  MemberRowValidator(Layout layout, @Nullable String datePattern) {
    this(layout, datePattern, true);
  }

  /**
   * @param dateOption whether the source offers {@code --date-format}, for the advice on a date
   */
  MemberRowValidator(Layout layout, @Nullable String datePattern, boolean dateOption) {
    this.layout = layout;
    this.dateOption = dateOption;
    if (datePattern == null) {
      this.dates = DateTimeFormatter.ISO_LOCAL_DATE;
      this.datePattern = "yyyy-MM-dd";
    } else {
      String problem = ImportSettings.datePatternProblem(datePattern);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
      this.dates = formatter(datePattern);
      this.datePattern = datePattern;
    }
  }

  static DateTimeFormatter formatter(String pattern) {
    // STRICT rejects 31/02; 'yyyy' is a year of era, so the era must be given a default.
    return new DateTimeFormatterBuilder()
        .appendPattern(pattern)
        .parseDefaulting(ChronoField.ERA, 1)
        .toFormatter(Locale.ROOT)
        .withResolverStyle(ResolverStyle.STRICT);
  }

  Layout layout() {
    return layout;
  }

  /** Result of one row: a member, or the reasons it was refused. */
  sealed interface Outcome permits Valid, Invalid {}

  record Valid(Member member) implements Outcome {}

  record Invalid(List<Reject> rejects) implements Outcome {}

  Outcome validate(long line, String[] values) {
    if (values.length != layout.width()) {
      // Point at the first missing field, or the first one too many.
      boolean tooFew = values.length < layout.width();
      int column = (tooFew ? values.length : layout.width()) + 1;
      return new Invalid(
          List.of(
              new Reject(
                  line,
                  column,
                  tooFew ? layout.header().get(column - 1) : null,
                  "expected "
                      + layout.width()
                      + " fields as in the header, found "
                      + values.length
                      + (tooFew
                          ? " (a truncated row, or a missing comma?)"
                          : " (an unquoted comma inside a field?)"))));
    }
    List<Reject> rejects = new ArrayList<>(0);
    String id = required(line, layout.id(), values, MAX_ID, rejects, "every member needs an ID");
    if (id != null && !isMemberId(id)) {
      rejects.add(
          reject(
              line,
              layout.id(),
              "expected a member ID of letters, digits, '.', '_' or '-', found " + quote(id)));
    }

    String studentNumber = text(line, layout.studentNumber(), values, MAX_STUDENT_NUMBER, rejects);
    if (studentNumber != null && !isDigits(studentNumber)) {
      rejects.add(
          reject(
              line,
              layout.studentNumber(),
              "expected digits only, such as 24100001, found "
                  + quote(studentNumber)
                  + (studentNumber.matches("(?i)[0-9.]+E\\+?[0-9]+")
                      ? " (a spreadsheet turned the number into scientific notation: export the"
                          + " column as text)"
                      : "")));
    }

    String firstName = text(line, layout.firstName(), values, MAX_NAME, rejects);
    String lastName = text(line, layout.lastName(), values, MAX_NAME, rejects);

    String email =
        required(
            line,
            layout.email(),
            values,
            MAX_EMAIL,
            rejects,
            "expected the member's email address");
    if (email != null && !EmailShape.isEmailAddress(email)) {
      rejects.add(
          reject(
              line,
              layout.email(),
              "expected an email address such as name@example.com, found " + quote(email)));
    }

    String expiryText =
        required(
            line, layout.expiry(), values, 32, rejects, "expected the membership's expiry date");
    LocalDate expiry = null;
    if (expiryText != null) {
      expiry = date(expiryText);
      if (expiry == null) {
        rejects.add(
            reject(
                line,
                layout.expiry(),
                "expected a date like "
                    + dates.format(LocalDate.of(2027, 8, 31))
                    + " ("
                    + datePattern
                    + (dateOption && datePattern.equals("yyyy-MM-dd")
                        ? "; use --date-format for other layouts, e.g. dd/MM/yyyy"
                        : "")
                    + "), with a year from "
                    + MIN_YEAR
                    + " to "
                    + MAX_YEAR
                    + ", found "
                    + quote(expiryText)));
      }
    }

    if (!rejects.isEmpty() || id == null || email == null || expiry == null) {
      return new Invalid(rejects);
    }
    return new Valid(new Member(id, studentNumber, email, expiry, firstName, lastName));
  }

  /** As {@link #text}, and an empty field is a reject too. */
  private @Nullable String required(
      long line, int index, String[] values, int max, List<Reject> rejects, String whenEmpty) {
    int before = rejects.size();
    String value = text(line, index, values, max, rejects);
    if (value == null && rejects.size() == before) {
      rejects.add(reject(line, index, "empty; " + whenEmpty));
    }
    return value;
  }

  /**
   * The stripped field, or null when empty or refused; size and control characters are checked
   * here.
   */
  private @Nullable String text(
      long line, int index, String[] values, int max, List<Reject> rejects) {
    String value = values[index].strip();
    if (value.isEmpty()) {
      return null;
    }
    if (value.length() > max) {
      rejects.add(
          reject(line, index, value.length() + " characters long; expected at most " + max));
      return null;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        rejects.add(
            reject(
                line,
                index,
                String.format(
                    Locale.ROOT,
                    "contains the control character U+%04X at character %d; expected plain text%s",
                    (int) c,
                    i + 1,
                    c == '\n' || c == '\r' ? " on one line" : "")));
        return null;
      }
    }
    return value;
  }

  private @Nullable LocalDate date(String text) {
    LocalDate cached = parsedDates.get(text);
    if (cached != null) {
      return cached;
    }
    LocalDate date;
    try {
      date = LocalDate.parse(text, dates);
    } catch (DateTimeException e) {
      return null;
    }
    if (date.getYear() < MIN_YEAR || date.getYear() > MAX_YEAR) {
      return null;
    }
    if (parsedDates.size() < DATE_CACHE_LIMIT) {
      parsedDates.put(text, date);
    }
    return date;
  }

  private static boolean isMemberId(String id) {
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean alphanumeric = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
      if (!alphanumeric && (i == 0 || c != '.' && c != '_' && c != '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isDigits(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private Reject reject(long line, int index, String reason) {
    return new Reject(line, index + 1, layout.header().get(index), reason);
  }

  static String quote(String value) {
    String shown = value.length() > 60 ? value.substring(0, 60) + "…" : value;
    return "\"" + shown + "\"";
  }
}
