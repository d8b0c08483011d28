package ie.skynet.accounts.app;

import ie.skynet.accounts.TestClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** For tests that each start from a fresh {@link OneMemberDev} on a clock of their own. */
abstract class WithOneMember {
  @TempDir Path data;
  final TestClock clock = new TestClock(Instant.parse("2026-11-26T12:00:00Z"));
  private @Nullable OneMemberDev dev;

  @BeforeEach
  void startDev() throws Exception {
    dev = OneMemberDev.start(data, clock);
  }

  @AfterEach
  void stopDev() {
    if (dev != null) {
      dev.close();
    }
  }

  OneMemberDev dev() {
    return Objects.requireNonNull(dev);
  }
}
