package ie.skynet.accounts.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "preflight",
    mixinStandardHelpOptions = true,
    description = {
      "Rehearse a real signup against the configured services, before an event: doctor; a",
      "rehearsal membership for --to; the real verification mail through the outbox and the",
      "mail server; waiting for you to paste the link from that mail; an account from it (under",
      "preflight.users-dn); a bind with its password. Then everything it made is removed, also",
      "after a failure. Each step is printed with its duration. Exit 0 when every step passed."
    })
final class PreflightCommand implements Callable<Integer> {
  @ParentCommand AccountsCommand parent;
  @Spec CommandSpec spec;

  @Option(
      names = "--to",
      required = true,
      paramLabel = "EMAIL",
      description = "your own address: the verification mail goes there")
  String to;

  @Option(
      names = "--no-wait",
      description =
          "do not wait for the link to be pasted: go on once the mail server took the mail (for"
              + " unattended runs; also when there is no terminal)")
  boolean noWait;

  @Override
  public Integer call() {
    BufferedReader link =
        noWait || System.console() == null
            ? null
            : new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    // No migration first: doctor says whether the schema is current, and a rehearsal must not
    // change the schema under a running serve.
    return parent.services().preflight().run(to, link, spec.commandLine().getOut()) ? 0 : 1;
  }
}
