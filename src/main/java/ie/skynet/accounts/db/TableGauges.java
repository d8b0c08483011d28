package ie.skynet.accounts.db;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges over what a table holds, read from the database rather than counted in memory: the rows
 * are also written by commands in other processes, and the table is the truth. {@link #refresh}
 * reads one snapshot, in one query, before each scrape, so every gauge of a scrape shows the same
 * moment; each is NaN until then, or when the read failed.
 *
 * @param <T> the snapshot the gauges are computed from
 */
public final class TableGauges<T> {
  private static final Logger log = LoggerFactory.getLogger(TableGauges.class);

  /** Reads one snapshot of the table. */
  @FunctionalInterface
  public interface Snapshot<T> {
    T read() throws SQLException;
  }

  private final String what;
  private final Snapshot<T> snapshot;
  private final MeterRegistry registry;
  private volatile @Nullable T last;

  /**
   * @param what what is read, for the warning when reading fails ("the outbox")
   */
  public TableGauges(String what, Snapshot<T> snapshot, MeterRegistry registry) {
    this.what = what;
    this.snapshot = snapshot;
    this.registry = registry;
  }

  /**
   * Registers a gauge computed from the latest snapshot.
   *
   * @param unit the base unit, or null for a plain count
   */
  public TableGauges<T> gauge(
      String name, String description, @Nullable String unit, ToDoubleFunction<T> value) {
    Gauge.builder(
            name,
            this,
            g -> {
              T latest = g.last;
              return latest == null ? Double.NaN : value.applyAsDouble(latest);
            })
        .description(description)
        .baseUnit(unit)
        .strongReference(true)
        .register(registry);
    return this;
  }

  /** Reads a snapshot for the gauges; a failure leaves them NaN, and is logged. */
  public void refresh() {
    try {
      last = snapshot.read();
    } catch (SQLException | RuntimeException e) { // the database's own, or a broken connection
      last = null;
      log.warn("cannot read {} for /metrics: {}", what, e.getMessage());
    }
  }
}
