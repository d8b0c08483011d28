package ie.skynet.accounts.policy;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.TestClock;
import ie.skynet.accounts.policy.RequestLimits.Verdict;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RequestLimitsTest {
  final TestClock clock = new TestClock(Instant.parse("2026-11-26T12:00:00Z"));
  final RequestLimits limits = new RequestLimits(clock, 30, Duration.ofMinutes(10));

  @Test
  void anAddressMayAskAgainAfterAMinuteAndFiveTimesAnHour() {
    assertThat(limits.tryRequest("a@example.com", "10.0.0.1")).isEqualTo(new Verdict.Allowed());
    assertThat(limits.tryRequest("A@Example.com ", "10.0.0.2"))
        .isEqualTo(new Verdict.AskedRecently(Duration.ofSeconds(60)));
    clock.advance(Duration.ofSeconds(45));
    assertThat(limits.tryRequest("a@example.com", "10.0.0.1"))
        .isEqualTo(new Verdict.AskedRecently(Duration.ofSeconds(15)));
    for (int i = 0; i < 4; i++) {
      clock.advance(Duration.ofSeconds(60));
      assertThat(limits.tryRequest("a@example.com", "10.0.0.1"))
          .as("resend %d", i + 1)
          .isEqualTo(new Verdict.Allowed());
    }
    clock.advance(Duration.ofSeconds(60));
    assertThat(limits.tryRequest("a@example.com", "10.0.0.1"))
        .isInstanceOf(Verdict.AskedRecently.class);
    assertThat(limits.tryRequest("b@example.com", "10.0.0.1"))
        .as("other addresses are unaffected")
        .isEqualTo(new Verdict.Allowed());
  }

  @Test
  void oneClientMayAskForManyAddressesUpToItsBurst() {
    for (int i = 0; i < 30; i++) {
      assertThat(limits.tryRequest("m" + i + "@example.com", "192.0.2.7"))
          .isEqualTo(new Verdict.Allowed());
    }
    assertThat(limits.tryRequest("m30@example.com", "192.0.2.7"))
        .as("the network is busy: nothing says this address asked")
        .isEqualTo(new Verdict.NetworkBusy(Duration.ofSeconds(20)));
    assertThat(limits.tryRequest("m30@example.com", "192.0.2.8")).isEqualTo(new Verdict.Allowed());
    clock.advance(Duration.ofMinutes(10));
    assertThat(limits.tryRequest("m31@example.com", "192.0.2.7")).isEqualTo(new Verdict.Allowed());
  }

  @Test
  void aRefusalForTheAddressDoesNotCountAgainstTheClient() {
    RequestLimits tight = new RequestLimits(clock, 2, Duration.ofHours(1));
    assertThat(tight.tryRequest("a@example.com", "192.0.2.7")).isEqualTo(new Verdict.Allowed());
    assertThat(tight.tryRequest("a@example.com", "192.0.2.7"))
        .isInstanceOf(Verdict.AskedRecently.class);
    assertThat(tight.tryRequest("b@example.com", "192.0.2.7")).isEqualTo(new Verdict.Allowed());
  }

  @Test
  void duringAnEventOneClientMayAskForItsEventBurstAndTheNormalOneReturnsAfter() {
    java.util.concurrent.atomic.AtomicBoolean event =
        new java.util.concurrent.atomic.AtomicBoolean();
    RequestLimits hall = new RequestLimits(clock, 3, Duration.ofMinutes(10), 10, event::get);
    for (int i = 0; i < 3; i++) {
      assertThat(hall.tryRequest("m" + i + "@example.com", "192.0.2.7"))
          .isInstanceOf(Verdict.Allowed.class);
    }
    assertThat(hall.tryRequest("m3@example.com", "192.0.2.7"))
        .isInstanceOf(Verdict.NetworkBusy.class);
    event.set(true);
    for (int i = 3; i < 13; i++) {
      assertThat(hall.tryRequest("m" + i + "@example.com", "192.0.2.7"))
          .as("request %d during the event", i)
          .isInstanceOf(Verdict.Allowed.class);
    }
    assertThat(hall.tryRequest("m13@example.com", "192.0.2.7"))
        .isInstanceOf(Verdict.NetworkBusy.class);
    assertThat(hall.tryRequest("m0@example.com", "192.0.2.8"))
        .as("the per-address limit holds during an event")
        .isInstanceOf(Verdict.AskedRecently.class);
    event.set(false);
    assertThat(hall.tryRequest("m14@example.com", "192.0.2.7"))
        .as("after the event, the usual share, still spent")
        .isInstanceOf(Verdict.NetworkBusy.class);
  }
}
