package ie.skynet.accounts.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sample export shipped for {@code accounts dev}, its expiry dates moved to keep the same
 * distance from today as from the day the samples were written for: for tests that run dev on the
 * machine's clock. The samples' own dates are fixed (current until 2027-08-31, say), so a test
 * reading them by the real clock would fail once they pass. Tests on a {@link
 * ie.skynet.accounts.TestClock} set before those dates use the samples as shipped.
 */
final class MembersOfToday {
  /** The day the shipped samples are current on: the tests' usual TestClock day. */
  private static final LocalDate SAMPLES_DAY = LocalDate.parse("2026-11-26");

  private static final Pattern EXPIRY = Pattern.compile(",(\\d{4}-\\d{2}-\\d{2}),");

  private MembersOfToday() {}

  /** Writes the export to {@code file}, for {@code --members} (DevOptions' members). */
  static Path write(Path file) throws IOException {
    long shift = ChronoUnit.DAYS.between(SAMPLES_DAY, LocalDate.now(Clock.systemUTC()));
    String samples;
    try (InputStream in =
        Objects.requireNonNull(
            MembersOfToday.class.getClassLoader().getResourceAsStream("dev/members.csv"),
            "dev/members.csv on the class path")) {
      samples = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher expiry = EXPIRY.matcher(samples);
    StringBuilder moved = new StringBuilder();
    while (expiry.find()) {
      LocalDate date = LocalDate.parse(expiry.group(1)).plusDays(shift);
      expiry.appendReplacement(moved, "," + date + ",");
    }
    expiry.appendTail(moved);
    return Files.writeString(file, moved, StandardCharsets.UTF_8);
  }

  /**
   * {@code accounts dev} on the machine's clock with these members (in {@code data}), migrated,
   * loaded and started, as an operator runs it.
   */
  static Running startDev(Path data) throws IOException {
    App app =
        App.dev(
            new ie.skynet.accounts.cli.DevOptions(
                0, 0, 0, data, write(data.resolve("members.csv"))),
            java.util.Map.of(),
            Clock.systemUTC());
    app.database().migrate();
    app.serving().loadDevMembers();
    return app.start();
  }
}
