package ie.skynet.accounts.db;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a migration run did.
 *
 * @param notes findings an operator must read, e.g. legacy rows set aside during adoption
 */
public record MigrationReport(
    @Nullable String fromVersion,
    @Nullable String toVersion,
    List<String> applied,
    List<String> notes) {}
