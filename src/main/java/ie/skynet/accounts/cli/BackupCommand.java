package ie.skynet.accounts.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
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

  @Option(names = "--json", description = "print the result as one JSON object")
  boolean json;

  @Override
  public Integer call() throws JsonProcessingException {
    Services services = parent.services();
    PrintWriter out = spec.commandLine().getOut();
    // Checked here too so the message can name the option; the database checks again, atomically.
    if (!force && Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(file)) {
      return failed(out, "the backup " + file + " already exists; give --force to replace it");
    }
    BackupReport report;
    try {
      report = services.database().backup(file, force, Memberships::count);
    } catch (DatabaseException e) {
      return failed(out, e.getMessage());
    }
    if (json) {
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("status", "ok");
      object.put("file", report.file().toString());
      object.put("database", services.database().url());
      object.put("bytes", report.bytes());
      object.put("integrity", "ok");
      object.put("schemaVersion", report.schemaVersion());
      object.put("members", report.members());
      out.println(new ObjectMapper().writeValueAsString(object));
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

  /** Still one JSON object with --json, so scripts can read it. */
  private int failed(PrintWriter out, @Nullable String message) throws JsonProcessingException {
    if (json) {
      Map<String, Object> object = new LinkedHashMap<>();
      object.put("status", "failed");
      object.put("file", file.toString());
      object.put("message", message);
      out.println(new ObjectMapper().writeValueAsString(object));
      out.flush();
    } else {
      PrintWriter err = spec.commandLine().getErr();
      err.println("error: " + message);
      err.flush();
    }
    return 1;
  }
}
