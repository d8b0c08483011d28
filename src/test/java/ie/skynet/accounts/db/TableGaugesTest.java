package ie.skynet.accounts.db;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Gauges over a table's snapshot: NaN until read, the snapshot's values once read, NaN again when a
 * read fails.
 */
class TableGaugesTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @Test
  void gaugesShowTheLastSnapshotAndNothingWhenItCouldNotBeRead() {
    AtomicReference<Long> rows = new AtomicReference<>(7L);
    TableGauges<Long> gauges =
        new TableGauges<Long>(
                "the test table",
                () -> {
                  Long now = rows.get();
                  if (now == null) {
                    throw new SQLException("database is locked");
                  }
                  return now;
                },
                registry)
            .gauge("test.rows", "Rows", null, n -> n)
            .gauge("test.rows.doubled", "Twice the rows", null, n -> 2 * n);
    assertThat(registry.get("test.rows").gauge().value()).isNaN();

    gauges.refresh();
    assertThat(registry.get("test.rows").gauge().value()).isEqualTo(7);
    assertThat(registry.get("test.rows.doubled").gauge().value()).isEqualTo(14);

    rows.set(null);
    gauges.refresh();
    assertThat(registry.get("test.rows").gauge().value()).isNaN();
    assertThat(registry.get("test.rows.doubled").gauge().value()).isNaN();
  }
}
