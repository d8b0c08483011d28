/**
 * One thin picocli command class per subcommand. Commands parse arguments, call a feature's service
 * and print its result; exit codes are 0 success, 1 failure, 2 usage or configuration error, and
 * {@code ExitCodes} gives them to commands that throw.
 */
@NullMarked
package ie.skynet.accounts.cli;

import org.jspecify.annotations.NullMarked;
