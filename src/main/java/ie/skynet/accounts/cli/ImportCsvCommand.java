package ie.skynet.accounts.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import ie.skynet.accounts.db.DatabaseException;
import ie.skynet.accounts.membership.ImportOptions;
import ie.skynet.accounts.membership.ImportReport;
import ie.skynet.accounts.membership.ImportSettings;
import ie.skynet.accounts.membership.ImportStatus;
import ie.skynet.accounts.membership.Reject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "import-csv",
    mixinStandardHelpOptions = true,
    description = {
      "Import a Wolves membership export (CSV, UTF-8), all or nothing.",
      "Every rejected row is listed with its line and column; if any row is rejected,"
          + " nothing is written and the exit code is 1."
    })
final class ImportCsvCommand implements Callable<Integer> {
  @ParentCommand AccountsCommand parent;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "the CSV export from Wolves")
  Path file;

  @Option(names = "--dry-run", description = "validate and report; write nothing")
  boolean dryRun;

  @Option(
      names = "--date-format",
      paramLabel = "P",
      description = "date pattern of the Expiry column, e.g. dd/MM/yyyy (default: ISO yyyy-MM-dd)")
  @Nullable String dateFormat;

  @Option(
      names = "--force",
      description = "import even if it moves more current members to a past expiry than allowed")
  boolean force;

  @Mixin JsonOutput json;

  @Override
  public Integer call() throws JsonProcessingException {
    if (dateFormat != null && dateFormat.isBlank()) {
      dateFormat = null; // as in the configuration: empty means ISO dates
    }
    String problem = dateFormat == null ? null : ImportSettings.datePatternProblem(dateFormat);
    if (problem != null) {
      throw new ParameterException(spec.commandLine(), "--date-format: " + problem);
    }
    Services services = parent.services();
    PrintWriter out = spec.commandLine().getOut();
    if (dryRun && !services.database().isCurrent()) {
      return json.failed(
          spec,
          file.toString(),
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
          services
              .membershipImporter()
              .importCsv(file, new ImportOptions(dryRun, force, dateFormat));
    } catch (DatabaseException e) {
      return json.failed(spec, file.toString(), e.getMessage());
    }
    if (json.wanted) {
      json.print(out, toJson(report));
    } else {
      print(report, out);
    }
    out.flush();
    return report.status() == ImportStatus.OK ? 0 : 1;
  }

  private static void print(ImportReport r, PrintWriter out) {
    out.printf(
        "%s: %s%n  %d rows read: %d inserted, %d updated, %d unchanged, %d skipped (blank), %d rejected%n",
        r.file(),
        r.message(),
        r.rowsRead(),
        r.inserted(),
        r.updated(),
        r.unchanged(),
        r.skipped(),
        r.rejected());
    for (Reject reject : r.rejects()) {
      out.println("  " + reject.describe());
    }
    if (r.rejectsNotListed() > 0) {
      out.println("  ... and " + r.rejectsNotListed() + " more problems not listed");
    }
  }

  /** The {@code --json} contract: scripts and the admin tools read these names. */
  static Map<String, Object> toJson(ImportReport r) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("status", r.status().code());
    json.put("file", r.file());
    json.put("sha256", r.sha256());
    json.put("dryRun", r.dryRun());
    json.put("forced", r.forced());
    json.put("rowsRead", r.rowsRead());
    json.put("inserted", r.inserted());
    json.put("updated", r.updated());
    json.put("unchanged", r.unchanged());
    json.put("skipped", r.skipped());
    json.put("rejected", r.rejected());
    List<Map<String, Object>> rejects =
        r.rejects().stream()
            .map(
                reject -> {
                  Map<String, Object> item = new LinkedHashMap<>();
                  item.put("line", reject.line());
                  item.put("column", reject.column());
                  item.put("field", reject.field());
                  item.put("reason", reject.reason());
                  return item;
                })
            .toList();
    json.put("rejects", rejects);
    json.put("rejectsNotListed", r.rejectsNotListed());
    json.put("message", r.message());
    json.put("runId", r.runId());
    return json;
  }
}
