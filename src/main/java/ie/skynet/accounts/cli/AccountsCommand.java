package ie.skynet.accounts.cli;

import java.nio.file.Path;
import java.util.List;
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
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:success", "1:failure (see the message)", "2:usage or configuration error"})
public final class AccountsCommand {
  /** The subcommands, in the order {@code --help} lists them. */
  private static final List<Class<?>> SUBCOMMANDS =
      List.of(
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
          HousekeepingCommand.class);

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

  /**
   * The command line over {@code factory}, with the exit codes of the CLI contract, to run {@code
   * args}: with only the subcommand they name when they name one, else with them all. Picocli
   * builds each subcommand's model by reflection before parsing, about a tenth of a second for them
   * all, which a short command such as an import pays at every start; it needs only its own. Help,
   * a misspelt command or none at all get every subcommand, so they are listed and suggested as
   * before. Null {@code args}: every subcommand.
   */
  public static CommandLine commandLine(ServicesFactory factory, String @Nullable [] args) {
    String named = args == null ? null : subcommandNamed(args);
    CommandLine commandLine = new CommandLine(new AccountsCommand(factory));
    for (Class<?> subcommand : SUBCOMMANDS) {
      if (named == null || named.equals(name(subcommand))) {
        commandLine.addSubcommand(subcommand);
      }
    }
    // Set after the subcommands are added: picocli passes these settings to those it has.
    commandLine.setCaseInsensitiveEnumValuesAllowed(true); // --status failed, as list prints it
    commandLine.setExecutionExceptionHandler(new ExitCodes());
    return commandLine;
  }

  /**
   * The subcommand {@code args} name, or null if they name none: the first argument that is not an
   * option of {@code accounts} itself or the value of {@code --config}. Null too after a help or
   * version option: {@code accounts --help doctor} prints the top level's help, listing every
   * subcommand.
   */
  static @Nullable String subcommandNamed(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--config")) {
        i++; // its value, whatever it looks like
      } else if (asksForHelpOrVersion(args[i])) {
        return null;
      } else if (!args[i].startsWith("-")) {
        String candidate = args[i];
        return SUBCOMMANDS.stream().anyMatch(c -> name(c).equals(candidate)) ? candidate : null;
      }
    }
    return null;
  }

  private static boolean asksForHelpOrVersion(String arg) {
    if (arg.equals("--help") || arg.equals("--version")) {
      return true;
    }
    // -h, -V, or either among clustered short options such as -hV
    return arg.startsWith("-")
        && !arg.startsWith("--")
        && (arg.indexOf('h') > 0 || arg.indexOf('V') > 0);
  }

  private static String name(Class<?> subcommand) {
    return subcommand.getAnnotation(Command.class).name();
  }

  Services services() {
    return factory.open(config);
  }

  Services dev(DevOptions options) {
    return factory.dev(options);
  }
}
