package ie.skynet.accounts.membership;

import org.jspecify.annotations.Nullable;

/**
 * Choices for one import.
 *
 * @param dryRun validate and count, write nothing (not even the run history)
 * @param force import even when the expiry guard would refuse
 * @param dateFormat this export's date pattern, overriding the configured one
 */
public record ImportOptions(boolean dryRun, boolean force, @Nullable String dateFormat) {}
