package ie.skynet.accounts.db;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A backup written and checked: what {@link Database#backup} found when it opened the copy.
 *
 * @param file the backup, under its final name
 * @param bytes its size
 * @param schemaVersion the newest migration applied in the copy; null for a database from the
 *     previous backend that has no Flyway history yet
 * @param members rows of {@code accounts_wolves} in the copy
 */
public record BackupReport(Path file, long bytes, @Nullable String schemaVersion, long members) {}
