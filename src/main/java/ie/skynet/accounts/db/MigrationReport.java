package ie.skynet.accounts.db;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a migration run did.
 *
 * @param notes findings of this run an operator must read, e.g. each legacy row set aside
 * @param rowsSetAside legacy rows in {@code accounts_wolves_adoption_conflicts}, from any run
 */
public record MigrationReport(
    @Nullable String fromVersion,
    @Nullable String toVersion,
    List<String> applied,
    List<String> notes,
    long rowsSetAside) {}
