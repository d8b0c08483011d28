package ie.skynet.accounts.membership;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.policy.EmailShape;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MemberRowValidatorTest {
  private static final MemberRowValidator.Layout LAYOUT =
      new MemberRowValidator.Layout(
          6,
          0,
          1,
          2,
          3,
          4,
          5,
          List.of(
              "Member ID", "Student Number", "First Name", "Last Name", "Contact Email", "Expiry"));

  private static MemberRowValidator.Outcome validate(String pattern, String... values) {
    return new MemberRowValidator(LAYOUT, pattern).validate(7, values);
  }

  private static List<String> rejects(MemberRowValidator.Outcome outcome) {
    return outcome instanceof MemberRowValidator.Invalid invalid
        ? invalid.rejects().stream().map(Reject::describe).toList()
        : List.of();
  }

  @Test
  void validRowIsStrippedAndKeepsLeadingZeros() {
    var outcome =
        validate(null, " 007 ", "0024100001", " Aoife ", "", " A.B@Example.COM ", "2027-08-31");
    assertThat(outcome)
        .isEqualTo(
            new MemberRowValidator.Valid(
                new Member(
                    "007",
                    "0024100001",
                    "A.B@Example.COM",
                    LocalDate.of(2027, 8, 31),
                    "Aoife",
                    null)));
  }

  @Test
  void everyProblemInARowIsReportedWithItsColumn() {
    assertThat(rejects(validate(null, "", "12x", "Ann", "Lee", "nope", "31/08/2027")))
        .containsExactly(
            "line 7, column 1 (Member ID): empty; every member needs an ID",
            "line 7, column 2 (Student Number): expected digits only, such as 24100001, found \"12x\"",
            "line 7, column 5 (Contact Email): expected an email address such as name@example.com, found \"nope\"",
            "line 7, column 6 (Expiry): expected a date like 2027-08-31 (yyyy-MM-dd; use --date-format for other"
                + " layouts, e.g. dd/MM/yyyy), with a year from 2000 to 2199, found \"31/08/2027\"");
  }

  @Test
  void wrongNumberOfFieldsIsOneRejectForTheRow() {
    assertThat(rejects(validate(null, "W1", "1", "A", "B", "a@example.com")))
        .containsExactly(
            "line 7, column 6 (Expiry): expected 6 fields as in the header, found 5 (a truncated row, or a missing comma?)");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a@example.com",
        "first.last+tag@sub.example.ie",
        "O'Neill@example.com",
        "x_y-z@ul.ie"
      })
  void acceptsOrdinaryAddresses(String email) {
    assertThat(EmailShape.isEmailAddress(email)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "plain",
        "@example.com",
        "a@",
        "a@localhost",
        "a@example.",
        "a b@example.com",
        "a@@example.com",
        "A <a@example.com>",
        "a@example.com, b@example.com",
        "a@[127.0.0.1]",
        "a@example.com.",
        "\"a\"@"
      })
  void rejectsAnythingButOneBareAddress(String email) {
    assertThat(EmailShape.isEmailAddress(email)).isFalse();
  }

  /**
   * The quick check must never accept what Jakarta Mail's parser refuses, and for the text it
   * accepts, the answer must stay the parser's: every string of up to 6 of these characters, then
   * longer random ones, including characters the quick check leaves to the parser.
   */
  @Test
  void quickCheckAgreesWithTheParserOnEveryShortString() {
    char[] alphabet = {'a', 'Z', '7', '-', '_', '+', '.', '@'};
    int checked = 0;
    int quick = 0;
    StringBuilder text = new StringBuilder();
    for (int length = 0; length <= 6; length++) {
      int[] digits = new int[length];
      while (true) {
        text.setLength(0);
        for (int d : digits) {
          text.append(alphabet[d]);
        }
        quick += agree(text.toString());
        checked++;
        int i = length - 1;
        while (i >= 0 && ++digits[i] == alphabet.length) {
          digits[i--] = 0;
        }
        if (i < 0) {
          break;
        }
      }
    }
    char[] wider = "aZ7-_+.@.@ \"(),;:<>[]\\!#'~é\t".toCharArray();
    Random random = new Random(14);
    for (int n = 0; n < 200_000; n++) {
      text.setLength(0);
      if (n % 3 == 2) {
        // Shaped like an address: words, '@', labels; mostly ones the quick check takes.
        words(text, random, 1 + random.nextInt(3), "aZ7-_+");
        text.append('@');
        words(text, random, 1 + random.nextInt(3), "aZ7-");
      } else {
        int length = 1 + random.nextInt(24);
        char[] from = n % 3 == 0 ? alphabet : wider;
        for (int i = 0; i < length; i++) {
          text.append(from[random.nextInt(from.length)]);
        }
      }
      quick += agree(text.toString());
      checked++;
    }
    // Enough of the strings take the quick path for the comparison to mean something.
    assertThat(quick).as("quick accepts of %d", checked).isGreaterThan(20_000);
  }

  private static void words(StringBuilder text, Random random, int count, String letters) {
    for (int w = 0; w < count; w++) {
      text.append(w == 0 ? "" : ".");
      for (int i = 1 + random.nextInt(4); i > 0; i--) {
        text.append(letters.charAt(random.nextInt(letters.length())));
      }
    }
  }

  /** 1 when the quick check accepted the text; fails when its answer is not the parser's. */
  private static int agree(String text) {
    boolean parser = EmailShape.isSingleBareAddress(text);
    boolean plain = EmailShape.isPlainAddress(text);
    if (plain) {
      assertThat(parser).as("the parser refuses %s, which the quick check accepts", text).isTrue();
    }
    assertThat(EmailShape.isEmailAddress(text)).as(text).isEqualTo(parser);
    return plain ? 1 : 0;
  }

  @Test
  void customDateFormatIsStrict() {
    assertThat(validate("dd/MM/yyyy", "W1", "", "", "", "a@example.com", "28/02/2027"))
        .isInstanceOf(MemberRowValidator.Valid.class);
    for (String bad : List.of("29/02/2027", "2027-02-28", "1/2/2027", "28/02/27", "31/04/2027")) {
      assertThat(rejects(validate("dd/MM/yyyy", "W1", "", "", "", "a@example.com", bad)))
          .as(bad)
          .singleElement()
          .asString()
          .contains("expected a date like 31/08/2027 (dd/MM/yyyy)");
    }
  }

  @Test
  void isoDatesMustBeRealAndPlausible() {
    for (String bad :
        List.of("2027-02-29", "2027-8-31", "20270831", "+2027-08-31", "1999-12-31", "2200-01-01")) {
      assertThat(rejects(validate(null, "W1", "", "", "", "a@example.com", bad)))
          .as(bad)
          .hasSize(1);
    }
    assertThat(validate(null, "W1", "", "", "", "a@example.com", "2028-02-29"))
        .isInstanceOf(MemberRowValidator.Valid.class);
  }

  @Test
  void datePatternProblemsAreExplained() {
    assertThat(ImportSettings.datePatternProblem("dd/MM/yyyy")).isNull();
    assertThat(ImportSettings.datePatternProblem("d.M.uuuu")).isNull();
    for (String bad : List.of("dd/MM/yyyy{", "dd/MM/yyyy HH:mm", "dd/MM", "MM/yyyy", "yyyy")) {
      assertThat(ImportSettings.datePatternProblem(bad))
          .as(bad)
          .startsWith(
              "expected a date pattern with day, month and year only, such as dd/MM/yyyy; found '"
                  + bad
                  + "'");
    }
  }
}
