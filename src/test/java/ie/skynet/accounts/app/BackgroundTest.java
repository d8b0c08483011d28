package ie.skynet.accounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The background thread's passes: nothing a task throws stops them. */
class BackgroundTest {
  @Test
  void aPassGoesOnAndTheNextComesAfterEitherTaskThrows() throws InterruptedException {
    AtomicInteger answered = new AtomicInteger();
    CountDownLatch sent = new CountDownLatch(3);
    Background background =
        new Background(
            Duration.ofMillis(1),
            () -> {
              answered.incrementAndGet();
              throw new IllegalStateException("the directory went away");
            },
            () -> {
              sent.countDown();
              throw new AssertionError("an Error, not an Exception");
            },
            Duration.ofDays(1),
            () -> {});
    try {
      background.start();
      assertThat(sent.await(30, TimeUnit.SECONDS))
          .as("sending ran in three passes, though both tasks threw in each")
          .isTrue();
    } finally {
      background.close();
    }
    assertThat(answered.get()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void closingWhatNeverStartedDoesNothing() {
    new Background(Duration.ofMillis(1), () -> {}, () -> {}, Duration.ofDays(1), () -> {}).close();
  }
}
