package ie.skynet.accounts.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FirstLinesTest {
  @Test
  void aNewIdIsAbsentAndARepeatedOneGivesTheFirstLine() {
    FirstLines lines = new FirstLines();
    assertThat(lines.putIfAbsent("W300001", 2)).isEqualTo(FirstLines.ABSENT);
    assertThat(lines.putIfAbsent("W300002", 3)).isEqualTo(FirstLines.ABSENT);
    assertThat(lines.putIfAbsent("W300001", 9)).isEqualTo(2);
    assertThat(lines.putIfAbsent("W300001", 12)).isEqualTo(2);
    assertThat(lines.putIfAbsent("W30000", 13)).isEqualTo(FirstLines.ABSENT);
    assertThat(lines.putIfAbsent("W3000010", 14)).isEqualTo(FirstLines.ABSENT);
    assertThat(lines.size()).isEqualTo(4);
  }

  @Test
  void staysExactAsItGrows() {
    FirstLines lines = new FirstLines();
    int n = 300_000;
    for (int i = 0; i < n; i++) {
      assertThat(lines.putIfAbsent("M" + i, i + 2L)).isEqualTo(FirstLines.ABSENT);
    }
    for (int i = 0; i < n; i += 997) {
      assertThat(lines.putIfAbsent("M" + i, 1)).isEqualTo(i + 2L);
    }
    // Same String hash, different IDs: "Aa" and "BB" collide in String.hashCode.
    assertThat(lines.putIfAbsent("xAa", 5)).isEqualTo(FirstLines.ABSENT);
    assertThat(lines.putIfAbsent("xBB", 6)).isEqualTo(FirstLines.ABSENT);
    assertThat(lines.putIfAbsent("xBB", 7)).isEqualTo(6);
    assertThat(lines.size()).isEqualTo(n + 2);
  }

  @Test
  void refusesWhatTheValidatorWouldNotPass() {
    assertThatThrownBy(() -> new FirstLines().putIfAbsent("Wé1", 2))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
