package ie.skynet.accounts.membership;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The outcome of one import, with every row accounted for: when the status is OK, {@code rowsRead =
 * inserted + updated + unchanged + skipped}.
 *
 * @param runId the {@code import_runs} row, or null for a dry run
 * @param rejects what was wrong, in file order; at most {@link
 *     MembershipImporter#MAX_LISTED_REJECTS}
 * @param rejectsNotListed rejects found beyond those listed
 */
public record ImportReport(
    ImportStatus status,
    String file,
    @Nullable String sha256,
    boolean dryRun,
    boolean forced,
    long rowsRead,
    long inserted,
    long updated,
    long unchanged,
    long skipped,
    long rejected,
    List<Reject> rejects,
    long rejectsNotListed,
    String message,
    @Nullable Long runId) {}
