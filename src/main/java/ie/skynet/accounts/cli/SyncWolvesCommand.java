package ie.skynet.accounts.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import ie.skynet.accounts.db.DatabaseException;
import ie.skynet.accounts.membership.ImportOptions;
import ie.skynet.accounts.membership.ImportReport;
import ie.skynet.accounts.membership.ImportStatus;
import ie.skynet.accounts.membership.Reject;
import ie.skynet.accounts.membership.WolvesApi;
import java.io.PrintWriter;
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
    name = "sync-wolves",
    mixinStandardHelpOptions = true,
    description = {
      "Import the members from the Wolves API (wolves.api-url), all or nothing, as import-csv"
          + " imports an export.",
      "Every page is read before anything is written; a refused key, a failing server (after"
          + " retries) or a malformed answer imports nothing and exits 1. Every rejected member is"
          + " listed by its place in the list and its field."
    })
final class SyncWolvesCommand implements Callable<Integer> {
  @ParentCommand AccountsCommand parent;
  @Spec CommandSpec spec;

  @Option(names = "--dry-run", description = "read and check the list; write nothing")
  boolean dryRun;

  @Option(
      names = "--force",
      description = "import even if it moves more current members to a past expiry than allowed")
  boolean force;

  @Mixin JsonOutput json;

  @Override
  public Integer call() throws JsonProcessingException {
    Services services = parent.services();
    WolvesApi api = services.wolvesApi();
    if (api == null) {
      throw new ConfigException(
          List.of(
              "wolves.api-url is empty: the Wolves API is not configured; set wolves.api-url and"
                  + " wolves.api-key-file (accounts.example.conf), or import an export with"
                  + " import-csv"));
    }
    if (dryRun && !services.database().isCurrent()) {
      return json.failed(
          spec,
          api.source(),
          "a dry run writes nothing, so it needs a database at the current schema, and "
              + services.database().url()
              + " is missing or older: run `accounts migrate` first");
    }
    ImportReport report;
    try {
      if (!dryRun) {
        services.database().migrate();
      }
      report =
          services.membershipImporter().importWolves(api, new ImportOptions(dryRun, force, null));
    } catch (DatabaseException e) {
      return json.failed(spec, api.source(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json.wanted) {
      Map<String, Object> object = ImportCsvCommand.toJson(report);
      object.put("source", "wolves-api");
      json.print(out, object);
    } else {
      print(report, out);
    }
    out.flush();
    return report.status() == ImportStatus.OK ? 0 : 1;
  }

  private static void print(ImportReport r, PrintWriter out) {
    out.printf(
        "%s: %s%n  %d members read: %d inserted, %d updated, %d unchanged, %d rejected%n",
        r.file(),
        r.message(),
        r.rowsRead(),
        r.inserted(),
        r.updated(),
        r.unchanged(),
        r.rejected());
    for (Reject reject : r.rejects()) {
      // The list has no lines: a reject's line is the member's place in it.
      out.println(
          "  member "
              + reject.line()
              + (reject.field() == null ? "" : " (" + reject.field() + ")")
              + ": "
              + reject.reason());
    }
    if (r.rejectsNotListed() > 0) {
      out.println("  ... and " + r.rejectsNotListed() + " more problems not listed");
    }
  }
}
