package ie.skynet.accounts.membership;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** Shared fixtures for import tests. */
final class Imports {
  /** "Today" in every import test: the sample export has members either side of it. */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

  static final Path SAMPLE = Path.of("samples/members.csv");
  static final Path SAMPLE_EXCEL = Path.of("samples/members-excel.csv");
  static final Path HOSTILE = Path.of("src/test/resources/membership/hostile");

  static final ImportSettings SETTINGS = new ImportSettings(CsvColumns.WOLVES_DEFAULTS, null, 0.10);
  static final ImportOptions DEFAULT = new ImportOptions(false, false, null);

  static final String HEADER =
      "Member ID,Student Number,First Name,Last Name,Contact Email,Expiry,Membership Type\r\n";

  private Imports() {}

  static Path write(Path dir, String name, String content) {
    try {
      return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String row(String id, String email, String expiry) {
    return id + ",24" + id.substring(1) + ",First,Last," + email + "," + expiry + ",Student\r\n";
  }
}
