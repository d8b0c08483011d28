package ie.skynet.accounts.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import ie.skynet.accounts.db.BackupReport;
import ie.skynet.accounts.db.DatabaseException;
import ie.skynet.accounts.membership.Memberships;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = {
      "Write a consistent copy of the database to FILE, safe while `serve` runs.",
      "The copy is checked (integrity, schema version, members) before it gets its name;"
          + " the database is not migrated first.",
      "To restore: stop the service, copy the backup over the database file, remove the"
          + " -wal and -shm files beside it, run `accounts migrate`, start the service."
    })
final class BackupCommand implements Callable<Integer> {
  @ParentCommand AccountsCommand parent;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "where to write the backup")
  Path file;

  @Option(names = "--force", description = "replace FILE if it exists")
  boolean force;

  @Mixin JsonOutput json;

  @Override
  public Integer call() throws JsonProcessingException {
    Services services = parent.services();
    PrintWriter out = spec.commandLine().getOut();
    // Checked here too so the message can name the option; the database checks again, atomically.
    if (!force && Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(file)) {
      return json.failed(
          spec,
          file.toString(),
          "the backup " + file + " already exists; give --force to replace it");
    }
    BackupReport report;
    try {
      report = services.database().backup(file, force, Memberships::count);
    } catch (DatabaseException e) {
      return json.failed(spec, file.toString(), e.getMessage());
    }
    if (json.wanted) {
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("status", "ok");
      object.put("file", report.file().toString());
      object.put("database", services.database().url());
      object.put("bytes", report.bytes());
      object.put("integrity", "ok");
      object.put("schemaVersion", report.schemaVersion());
      object.put("members", report.members());
      json.print(out, object);
    } else {
      out.println(
          "backed up "
              + services.database().url()
              + " to "
              + report.file()
              + ": integrity ok, schema version "
              + (report.schemaVersion() == null ? "none" : report.schemaVersion())
              + ", "
              + report.members()
              + " members, "
              + report.bytes()
              + " bytes");
    }
    out.flush();
    return 0;
  }
}
