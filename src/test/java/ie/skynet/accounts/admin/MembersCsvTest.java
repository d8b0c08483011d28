package ie.skynet.accounts.admin;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MembersCsvTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "=1+1|'=1+1",
        "+353 86 123|'+353 86 123",
        "-2|'-2",
        "@SUM(A1)|'@SUM(A1)",
        "Aoife|Aoife",
        "O'Neill|O'Neill",
        "a=b|a=b",
        "Róisín|Róisín"
      })
  void aCellThatWouldStartAFormulaIsMadeText(String value, String cell) {
    assertThat(MembersCsv.cell(value)).isEqualTo(cell);
  }

  @ParameterizedTest
  @CsvSource({"'\t=cmd'", "'\r=cmd'"})
  void aLeadingTabOrReturnIsMadeTextToo(String value) {
    assertThat(MembersCsv.cell(value)).startsWith("'");
  }
}
