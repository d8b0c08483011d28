package ie.skynet.accounts.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * What {@code accounts dev} was asked for.
 *
 * @param members a Wolves export to load instead of the sample members shipped in the jar
 */
public record DevOptions(int port, int ldapPort, int smtpPort, Path data, @Nullable Path members) {}
