package ie.skynet.accounts.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the web service, sending queued mail as it goes, until stopped.",
      "Migrates the database first. Needs the LDAP service account (ldap.bind-password)."
    })
final class ServeCommand implements Callable<Integer> {
  @ParentCommand AccountsCommand parent;
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    return parent.services().serve(spec.commandLine().getOut());
  }
}
