package ie.skynet.accounts.membership;

import ie.skynet.accounts.db.Database;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The import history as gauges, read from {@code import_runs}: imports run from the command line,
 * in another process than the one serving {@code /metrics}. The postmortem's import stopped without
 * a trace; an alert on the age of the last accepted import catches that. {@link #refresh} reads the
 * table in one query before each scrape; without any import yet, or when the read failed, the
 * gauges are NaN.
 */
public final class ImportGauges {
  private static final Logger log = LoggerFactory.getLogger(ImportGauges.class);

  private final Database database;
  private final Clock clock;
  private volatile ImportRunLog.@Nullable Latest last;

  public ImportGauges(Database database, Clock clock, MeterRegistry registry) {
    this.database = database;
    this.clock = clock;
    gauge(
        registry,
        "accounts.import.last.age",
        "Time since the last import ended, whatever its outcome",
        "seconds",
        latest -> age(latest.lastFinished()));
    gauge(
        registry,
        "accounts.import.last.accepted",
        "1 if the last import was accepted (status ok), 0 if it was rejected or failed",
        null,
        latest ->
            latest.lastStatus() == null
                ? Double.NaN
                : ImportStatus.OK.code().equals(latest.lastStatus()) ? 1 : 0);
    gauge(
        registry,
        "accounts.import.last.accepted.age",
        "Time since the last accepted import ended",
        "seconds",
        latest -> age(latest.lastAccepted()));
  }

  /** Reads the history for the gauges; a failure leaves them NaN, and is logged. */
  public void refresh() {
    try (Connection connection = database.connect()) {
      last = ImportRunLog.latest(connection);
    } catch (SQLException | RuntimeException e) {
      last = null;
      log.warn("cannot read the import history for /metrics: {}", e.getMessage());
    }
  }

  private void gauge(
      MeterRegistry registry,
      String name,
      String description,
      @Nullable String unit,
      ToDoubleFunction<ImportRunLog.Latest> value) {
    Gauge.builder(
            name,
            this,
            g -> {
              ImportRunLog.Latest latest = g.last;
              return latest == null ? Double.NaN : value.applyAsDouble(latest);
            })
        .description(description)
        .baseUnit(unit)
        .strongReference(true)
        .register(registry);
  }

  private double age(@Nullable Instant then) {
    if (then == null) {
      return Double.NaN;
    }
    return Math.max(0, Duration.between(then, clock.instant()).toMillis() / 1000.0);
  }
}
