package ie.skynet.accounts.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "dev",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole system on this machine, with nothing to set up: the web service, an",
      "in-memory LDAP server, a mail catcher with a web mailbox at /dev/mail, and sample",
      "members. Everything listens on loopback only. Reads no accounts.conf: ACCOUNTS_*",
      "variables may still change signup, import and log settings."
    })
final class DevCommand implements Callable<Integer> {
  @ParentCommand AccountsCommand parent;
  @Spec CommandSpec spec;

  @Option(names = "--port", description = "web port (default: ${DEFAULT-VALUE})")
  int port = 8080;

  @Option(names = "--ldap-port", description = "LDAP port (default: ${DEFAULT-VALUE})")
  int ldapPort = 3389;

  @Option(
      names = "--smtp-port",
      description = "SMTP port of the mail catcher (default: ${DEFAULT-VALUE})")
  int smtpPort = 3025;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "where the database and the saved directory live (default: ${DEFAULT-VALUE})")
  Path data = Path.of("dev-data");

  @Option(
      names = "--members",
      paramLabel = "FILE",
      description = "a Wolves CSV export to load (default: the sample members in the jar)")
  @Nullable Path members;

  @Override
  public Integer call() throws InterruptedException {
    if (parent.config != null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "dev reads no configuration file (it runs everything embedded); drop --config");
    }
    return parent
        .dev(new DevOptions(port, ldapPort, smtpPort, data, members))
        .serve(spec.commandLine().getOut());
  }
}
