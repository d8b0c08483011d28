package ie.skynet.accounts.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import ie.skynet.accounts.db.DatabaseException;
import ie.skynet.accounts.lifecycle.Housekeeping;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "housekeeping",
    mixinStandardHelpOptions = true,
    description = {
      "Remove the personal data the service no longer needs, as serve does once a day:"
          + " memberships nobody made an account from (retention.unlinked-member-months after"
          + " their expiry), ended sessions, expired links and SSH challenges, requests waiting"
          + " over a week, sent and failed mail (retention.sent-mail-days,"
          + " retention.failed-mail-days) and audit entries (retention.audit-days).",
      "All or nothing, and recorded in the audit log with its counts."
    })
final class HousekeepingCommand implements Callable<Integer> {
  @ParentCommand AccountsCommand parent;
  @Spec CommandSpec spec;

  @Option(names = "--dry-run", description = "count what would be removed; remove nothing")
  boolean dryRun;

  @Mixin JsonOutput json;

  @Override
  public Integer call() throws JsonProcessingException {
    Services services = parent.services();
    String database = services.database().url();
    if (dryRun && !services.database().isCurrent()) {
      return json.failed(
          spec,
          database,
          "a dry run writes nothing, so it needs a database at the current schema, and "
              + database
              + " is missing or older: run `accounts migrate` first");
    }
    Housekeeping.Outcome outcome;
    try {
      if (!dryRun) {
        services.database().migrate();
      }
      outcome = services.housekeeping(dryRun);
    } catch (DatabaseException e) {
      return json.failed(spec, database, e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json.wanted) {
      json.print(out, toJson(outcome));
    } else {
      out.println(
          switch (outcome) {
            case Housekeeping.Outcome.Done d -> d.counts().summary();
            case Housekeeping.Outcome.DryRun d ->
                "dry run, nothing removed: would have " + d.counts().summary();
          });
    }
    out.flush();
    return 0;
  }

  /** The {@code --json} contract: scripts and the admin tools read these names. */
  static Map<String, Object> toJson(Housekeeping.Outcome outcome) {
    Housekeeping.Counts counts = outcome.counts();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put(
        "status",
        switch (outcome) {
          case Housekeeping.Outcome.Done d -> "done";
          case Housekeeping.Outcome.DryRun d -> "dry-run";
        });
    json.put("unlinkedMembers", counts.unlinkedMembers());
    json.put("sessions", counts.sessions());
    json.put("sshChallenges", counts.sshChallenges());
    json.put("links", counts.links());
    json.put("requests", counts.asks());
    json.put("sentMail", counts.sentMail());
    json.put("failedMail", counts.failedMail());
    json.put("auditEntries", counts.auditEntries());
    json.put("total", counts.total());
    return json;
  }
}
