package ie.skynet.accounts.cli;

import ie.skynet.accounts.db.MigrationReport;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "migrate",
    mixinStandardHelpOptions = true,
    description = {
      "Apply database migrations (every command does this on start-up).",
      "Adopts a database made by the previous backend in place."
    })
final class MigrateCommand implements Callable<Integer> {
  @ParentCommand AccountsCommand parent;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    MigrationReport report = parent.services().database().migrate();
    var out = spec.commandLine().getOut();
    if (report.applied().isEmpty()) {
      out.println("database is up to date (schema version " + report.toVersion() + ")");
    } else {
      out.println(
          "migrated the database from schema version "
              + (report.fromVersion() == null ? "none" : report.fromVersion())
              + " to "
              + report.toVersion()
              + ": "
              + String.join(", ", report.applied()));
    }
    report.notes().forEach(note -> out.println("  note: " + note));
    if (report.rowsSetAside() > 0) {
      out.println(
          "  note: "
              + report.rowsSetAside()
              + " legacy rows wait in accounts_wolves_adoption_conflicts for review (see the"
              + " reason column); import a current export to restore the members among them");
    }
    return 0;
  }
}
