package ie.skynet.accounts.cli;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The top-level {@code accounts} command: shared options, and the subcommands. */
@Command(
    name = "accounts",
    mixinStandardHelpOptions = true,
    version = "Skynet Accounts 0.1",
    description = "Turns a paid Skynet membership into a working account.",
    subcommands = {
      ServeCommand.class,
      DevCommand.class,
      ImportCsvCommand.class,
      SyncWolvesCommand.class,
      MigrateCommand.class,
      DoctorCommand.class,
      PreflightCommand.class,
      BackupCommand.class,
      OutboxCommand.class,
      SyncGroupsCommand.class,
      HousekeepingCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:failure (see the message)", "2:usage or configuration error"})
public final class AccountsCommand {
  private final ServicesFactory factory;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "configuration file (default: ./accounts.conf if present)",
      scope = CommandLine.ScopeType.INHERIT)
  @Nullable Path config;

  public AccountsCommand(ServicesFactory factory) {
    this.factory = factory;
  }

  /** The whole command line over {@code factory}, with the exit codes of the CLI contract. */
  public static CommandLine commandLine(ServicesFactory factory) {
    CommandLine commandLine = new CommandLine(new AccountsCommand(factory));
    commandLine.setCaseInsensitiveEnumValuesAllowed(true); // --status failed, as list prints it
    commandLine.setExecutionExceptionHandler(new ExitCodes());
    return commandLine;
  }

  Services services() {
    return factory.open(config);
  }

  Services dev(DevOptions options) {
    return factory.dev(options);
  }
}
