package ie.skynet.accounts.app;

import ie.skynet.accounts.cli.AccountsCommand;
import ie.skynet.accounts.cli.Services;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.DatabaseException;
import ie.skynet.accounts.db.MigrationReport;
import ie.skynet.accounts.membership.MembershipImporter;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.outbox.OutboxWorker;
import ie.skynet.accounts.outbox.SmtpMailSender;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/** The composition root: every service is built here, by hand, from the configuration. */
public final class App implements Services {
  private static final Logger log = LoggerFactory.getLogger(App.class);
  private static final String ROOT_PACKAGE = "ie.skynet.accounts";

  private final Database database;
  private final MembershipImporter membershipImporter;
  private final Outbox outbox;
  private final OutboxWorker outboxWorker;

  App(AppConfig config, Clock clock) {
    // Logback starts before the configuration is read; the service's own level is set here.
    if (LoggerFactory.getLogger(ROOT_PACKAGE) instanceof ch.qos.logback.classic.Logger logger) {
      logger.setLevel(ch.qos.logback.classic.Level.toLevel(config.logLevel()));
    }
    this.database = new Database(config.database());
    this.membershipImporter = new MembershipImporter(database, config.imports(), clock);
    this.outbox = new Outbox(database, clock);
    this.outboxWorker = new OutboxWorker(database, new SmtpMailSender(config.smtp()), clock);
  }

  /** Starts the services from a configuration file and the environment. */
  public static App open(@Nullable Path configFile, Map<String, String> environment) {
    return new App(ConfigLoader.load(configFile, environment), Clock.systemDefaultZone());
  }

  @Override
  public MigrationReport migrate() {
    return database.migrate();
  }

  @Override
  public boolean databaseIsCurrent() {
    return database.isCurrent();
  }

  @Override
  public String databaseUrl() {
    return database.url();
  }

  @Override
  public MembershipImporter membershipImporter() {
    return membershipImporter;
  }

  @Override
  public Outbox outbox() {
    return outbox;
  }

  @Override
  public OutboxWorker outboxWorker() {
    return outboxWorker;
  }

  /** The command line, with the exit codes of the CLI contract: 0 ok, 1 failure, 2 usage/config. */
  public static CommandLine commandLine(Map<String, String> environment) {
    CommandLine commandLine = new CommandLine(new AccountsCommand(file -> open(file, environment)));
    commandLine.setCaseInsensitiveEnumValuesAllowed(true); // --status failed, as list prints it
    commandLine.setExecutionExceptionHandler(
        (exception, cmd, parseResult) -> {
          PrintWriter err = cmd.getErr();
          if (exception instanceof ConfigException config) {
            err.println("error: " + config.getMessage());
            err.flush();
            return 2;
          }
          if (exception instanceof DatabaseException) {
            err.println("error: " + exception.getMessage());
          } else {
            log.error("{} failed", cmd.getCommandName(), exception);
            err.println("error: " + exception);
          }
          err.flush();
          return 1;
        });
    return commandLine;
  }
}
