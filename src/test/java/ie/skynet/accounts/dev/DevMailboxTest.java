package ie.skynet.accounts.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DevMailboxTest {
  @Test
  void onlyLoopbackNamesMayReadTheMailbox() {
    for (String host : List.of("localhost:8080", "127.0.0.1:8080", "LOCALHOST", "[::1]:8080")) {
      assertThat(DevMailbox.isLoopbackName(host)).as(host).isTrue();
    }
    for (String host :
        List.of("evil.example:8080", "localhost.evil.example", "127.0.0.1.nip.io", "[::2]", "")) {
      assertThat(DevMailbox.isLoopbackName(host)).as(host).isFalse();
    }
    assertThat(DevMailbox.isLoopbackName(null)).isFalse();
  }

  @Test
  void linksInMailTextBecomeRunsOfTheirOwn() {
    assertThat(DevMailbox.runs("Open https://a.example/signup/x1 now.\nBye"))
        .containsExactly(
            new DevMail.Run("Open ", false),
            new DevMail.Run("https://a.example/signup/x1", true),
            new DevMail.Run(" now.\nBye", false));
    assertThat(DevMailbox.runs("javascript:alert(1) <b>"))
        .containsExactly(new DevMail.Run("javascript:alert(1) <b>", false));
  }
}
