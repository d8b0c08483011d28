package ie.skynet.accounts.membership;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.TableGauges;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The import history as gauges, read from {@code import_runs}: imports run from the command line,
 * in another process than the one serving {@code /metrics}. The postmortem's import stopped without
 * a trace; an alert on the age of the last accepted import catches that. Without any import yet the
 * gauges are NaN.
 */
public final class ImportGauges {
  private ImportGauges() {}

  /** Registers the history's gauges; they show it once the returned gauges are refreshed. */
  public static TableGauges<?> register(Database database, Clock clock, MeterRegistry registry) {
    return new TableGauges<ImportRunLog.Latest>(
            "the import history",
            () -> {
              try (Connection connection = database.connect()) {
                return ImportRunLog.latest(connection);
              }
            },
            registry)
        .gauge(
            "accounts.import.last.age",
            "Time since the last import ended, whatever its outcome",
            "seconds",
            latest -> age(latest.lastFinished(), clock))
        .gauge(
            "accounts.import.last.accepted",
            "1 if the last import was accepted (status ok), 0 if it was rejected or failed",
            null,
            latest ->
                latest.lastStatus() == null
                    ? Double.NaN
                    : ImportStatus.OK.code().equals(latest.lastStatus()) ? 1 : 0)
        .gauge(
            "accounts.import.last.accepted.age",
            "Time since the last accepted import ended",
            "seconds",
            latest -> age(latest.lastAccepted(), clock));
  }

  private static double age(@Nullable Instant then, Clock clock) {
    if (then == null) {
      return Double.NaN;
    }
    return Math.max(0, Duration.between(then, clock.instant()).toMillis() / 1000.0);
  }
}
