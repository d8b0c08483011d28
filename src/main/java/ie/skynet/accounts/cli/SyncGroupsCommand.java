package ie.skynet.accounts.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import ie.skynet.accounts.lifecycle.GroupSync;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "sync-groups",
    mixinStandardHelpOptions = true,
    description = {
      "Put the members group, the login shells and the accounts' status in step with the"
          + " memberships, changing only what differs.",
      "An account whose membership lapsed leaves the members group and gets"
          + " lifecycle.disabled-shell; a renewed one gets both back. Accounts are never deleted.",
      "Refused, changing nothing, when it would take more than lifecycle.max-deactivate-share of"
          + " the members group out, unless --force is given."
    })
final class SyncGroupsCommand implements Callable<Integer> {
  @ParentCommand AccountsCommand parent;
  @Spec CommandSpec spec;

  @Option(names = "--dry-run", description = "print what would change; change nothing")
  boolean dryRun;

  @Option(
      names = "--force",
      description = "take out more of the members group than lifecycle.max-deactivate-share")
  boolean force;

  @Mixin JsonOutput json;

  @Override
  public Integer call() throws JsonProcessingException {
    Services services = parent.services();
    services.database().migrate();
    GroupSync.Outcome outcome = services.syncGroups(dryRun, force);
    PrintWriter out = spec.commandLine().getOut();
    if (json.wanted) {
      json.print(out, toJson(outcome));
    } else {
      print(outcome, out);
    }
    out.flush();
    return outcome instanceof GroupSync.Outcome.Refused ? 1 : 0;
  }

  private static String status(GroupSync.Outcome outcome) {
    return switch (outcome) {
      case GroupSync.Outcome.Applied a -> "applied";
      case GroupSync.Outcome.DryRun d -> "dry-run";
      case GroupSync.Outcome.Refused r -> "refused";
    };
  }

  private static void print(GroupSync.Outcome outcome, PrintWriter out) {
    GroupSync.Plan plan = outcome.plan();
    plan.join().forEach(u -> out.println("+ members group: " + u));
    plan.leave().forEach(u -> out.println("- members group: " + u));
    plan.roles()
        .forEach(
            role -> {
              role.join().forEach(u -> out.println("+ " + role.group() + " group: " + u));
              role.leave().forEach(u -> out.println("- " + role.group() + " group: " + u));
            });
    plan.shells()
        .forEach(
            c -> out.println("  shell of " + c.username() + ": " + c.from() + " -> " + c.to()));
    plan.statuses()
        .forEach(
            c -> out.println("  status of " + c.username() + ": " + c.from() + " -> " + c.to()));
    int roles = plan.roles().stream().mapToInt(r -> r.join().size() + r.leave().size()).sum();
    String counts =
        String.format(
                "%d to join, %d to leave, %d shells, %d statuses",
                plan.join().size(),
                plan.leave().size(),
                plan.shells().size(),
                plan.statuses().size())
            + (roles == 0 ? "" : ", " + roles + " admins/committee");
    out.println(
        switch (outcome) {
          case GroupSync.Outcome.Applied a ->
              plan.changes() == 0 ? "no change: everything is in step" : "changed: " + counts;
          case GroupSync.Outcome.DryRun d -> "dry run, nothing changed: " + counts;
          case GroupSync.Outcome.Refused r -> "refused, nothing changed: " + r.reason();
        });
  }

  /** The {@code --json} contract: scripts and the admin tools read these names. */
  static Map<String, Object> toJson(GroupSync.Outcome outcome) {
    GroupSync.Plan plan = outcome.plan();
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("status", status(outcome));
    if (outcome instanceof GroupSync.Outcome.Refused refused) {
      json.put("message", refused.reason());
    }
    json.put("join", plan.join());
    json.put("leave", plan.leave());
    json.put("shells", changes(plan.shells()));
    json.put("statuses", changes(plan.statuses()));
    json.put(
        "roles",
        plan.roles().stream()
            .map(
                r -> Map.of("group", r.group(), "dn", r.dn(), "join", r.join(), "leave", r.leave()))
            .toList());
    json.put("groupBefore", plan.groupBefore());
    json.put("changes", plan.changes());
    return json;
  }

  private static List<Map<String, String>> changes(List<GroupSync.Change> changes) {
    return changes.stream()
        .map(c -> Map.of("username", c.username(), "from", c.from(), "to", c.to()))
        .toList();
  }
}
