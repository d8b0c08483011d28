package ie.skynet.accounts.signup;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.signup.UsernamePolicy.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class UsernamePolicyTest {
  private static final UsernamePolicy POLICY = new UsernamePolicy(UsernamePolicy.DEFAULT_PATTERN);

  @ParameterizedTest
  @ValueSource(strings = {"ab", "aoife", "sean-ob", "user2027", "a234567890123456789012345678901"})
  void acceptsTheDefaultShapes(String name) {
    assertThat(POLICY.check(name)).isEqualTo(new Verdict.Accepted(name));
  }

  @Test
  void lowercasesWhatTheMemberTyped() {
    assertThat(POLICY.check("  Aoife ")).isEqualTo(new Verdict.Accepted("aoife"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a",
        "1aoife",
        "-aoife",
        "aoife_m",
        "aoife.m",
        "seán",
        "a2345678901234567890123456789012",
        "",
        "ao ife"
      })
  void refusesOtherShapes(String name) {
    assertThat(POLICY.check(name)).isInstanceOf(Verdict.Rejected.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"root", "ROOT", "postmaster", "www-data", "admin", "systemd-network", "skynet"})
  void refusesReservedNames(String name) {
    assertThat(POLICY.check(name))
        .isInstanceOfSatisfying(
            Verdict.Rejected.class, r -> assertThat(r.reason()).contains("reserved"));
  }

  @Test
  void aConfiguredPatternIsNamedInTheRuleAndTheReasonPointsToIt() {
    UsernamePolicy configured = new UsernamePolicy("^[a-z]{3,8}$");
    assertThat(configured.rule()).isEqualTo("Choose a username matching ^[a-z]{3,8}$.");
    assertThat(configured.check("ab"))
        .isEqualTo(new Verdict.Rejected("'ab' does not fit the rule above; choose another."));
  }

  /** The form shows the rule beside the field; the error says what is wrong (issue 15, 7). */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a|'a' is 1 character long; a username has 2 to 31.",
        "a2345678901234567890123456789012|is 32 characters long; a username has 2 to 31.",
        "1aoife|A username starts with a letter, not '1'.",
        "aoife_m|A username cannot hold '_'.",
        "Aoife Murphy!|A username cannot hold a space, '!'.",
        "seán|A username cannot hold 'á'.",
        "''|Type the username you want."
      })
  void saysWhatIsWrongRatherThanTheRuleAgain(String name, String reason) {
    assertThat(POLICY.check(name))
        .isInstanceOfSatisfying(
            Verdict.Rejected.class,
            r -> assertThat(r.reason()).contains(reason).doesNotContain(POLICY.rule()));
  }
}
