package ie.skynet.accounts.cli;

import ie.skynet.accounts.db.DatabaseException;
import ie.skynet.accounts.directory.DirectoryException;
import java.io.PrintWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * The exit code of a command that threw, by the CLI contract: 2 for configuration that cannot be
 * used (as for a usage error, which picocli answers itself), 1 for any other failure. Failures
 * whose message says everything (the database's, start-up's) print just that; anything unexpected
 * is logged with its stack trace too, since nobody can act on a bare message they did not foresee.
 */
final class ExitCodes implements CommandLine.IExecutionExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ExitCodes.class);

  @Override
  public int handleExecutionException(
      Exception exception, CommandLine command, CommandLine.ParseResult parseResult) {
    PrintWriter err = command.getErr();
    try {
      if (exception instanceof ConfigException config) {
        err.println("error: " + config.getMessage());
        return 2;
      }
      if (exception instanceof DatabaseException
          || exception instanceof DirectoryException
          || exception instanceof StartupException) {
        err.println("error: " + exception.getMessage());
      } else {
        log.error("{} failed", command.getCommandName(), exception);
        err.println("error: " + exception);
      }
      return 1;
    } finally {
      err.flush();
    }
  }
}
