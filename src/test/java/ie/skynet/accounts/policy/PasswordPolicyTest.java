package ie.skynet.accounts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.policy.PasswordPolicy.Owner;
import ie.skynet.accounts.policy.PasswordPolicy.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordPolicyTest {
  private static final PasswordPolicy POLICY = PasswordPolicy.withShippedList();
  private static final Owner AOIFE =
      new Owner("aoifem", "aoife.murphy@example.com", "Aoife", "Murphy");

  private static List<String> reasons(String password) {
    return POLICY.check(password, AOIFE) instanceof Verdict.Rejected r ? r.reasons() : List.of();
  }

  @Test
  void acceptsLongUnguessablePassphrasesWithoutCompositionRules() {
    assertThat(POLICY.check("granite walrus umbrella tuesday", AOIFE))
        .isInstanceOf(Verdict.Accepted.class);
    assertThat(POLICY.check("súil eile ar an bhfarraige", AOIFE))
        .isInstanceOf(Verdict.Accepted.class);
  }

  @Test
  void lengthCountsCodePointsFrom12To128() {
    assertThat(reasons("Tr0ub4dor&3")).contains("Use at least 12 characters; this has 11.");
    assertThat(reasons("😀😀😀😀😀😀😀😀😀😀😀"))
        .contains("Use at least 12 characters; this has 11.");
    assertThat(reasons("x".repeat(129))).contains("Use at most 128 characters; this has 129.");
  }

  @Test
  void refusesCommonPasswordsFromTheShippedList() {
    assertThat(reasons("1qaz2wsx3edc"))
        .contains("This password is on a list of commonly used passwords; choose another.");
    assertThat(reasons("Correct Horse Battery Staple"))
        .contains("This password is on a list of commonly used passwords; choose another.");
  }

  @Test
  void refusesTheMembersOwnUsernameOrAddress() {
    assertThat(reasons("my AoifeM account rocks"))
        .contains("Do not use your username in your password.");
    assertThat(reasons("x aoife.murphy forever x"))
        .contains("Do not use your email address in your password.");
  }

  @Test
  void refusesWhatZxcvbnWouldGuessQuickly() {
    assertThat(reasons("aaaaaaaaaaaaaaaa"))
        .singleElement()
        .asString()
        .startsWith("This password would be too easy to guess.");
    assertThat(reasons("murphymurphy12"))
        .singleElement()
        .asString()
        .startsWith("This password would be too easy to guess.");
  }
}
