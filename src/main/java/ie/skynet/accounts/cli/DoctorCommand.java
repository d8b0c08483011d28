package ie.skynet.accounts.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import ie.skynet.accounts.ops.CheckResult;
import ie.skynet.accounts.ops.Doctor;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Check every dependency as the service uses it: the configuration; for LDAP and SMTP the",
      "host's name (DNS), the connection, TLS and its certificate; the directory's bind, entries",
      "and uidNumber counter; the mail server's session (no mail is sent); when configured, the",
      "Wolves API (DNS, connection, TLS, and its key, with a request for one member); the database, its",
      "members, the last import and the outbox; free disk space. One line each: ✔ good,",
      "! needs attention, ✘ failed (with what to do), - not measurable here.",
      "Exit 0 when nothing failed."
    })
final class DoctorCommand implements Callable<Integer> {
  @ParentCommand AccountsCommand parent;
  @Spec CommandSpec spec;

  @Mixin JsonOutput json;

  @Override
  public Integer call() throws Exception {
    List<CheckResult> results = parent.services().doctor().examine();
    PrintWriter out = spec.commandLine().getOut();
    if (json.wanted) {
      ObjectMapper mapper = new ObjectMapper();
      ArrayNode array = mapper.createArrayNode();
      for (CheckResult result : results) {
        ObjectNode node = array.addObject();
        node.put("check", result.check());
        node.put("status", result.status().name().toLowerCase(Locale.ROOT));
        node.put("measured", result.measured());
        node.put("advice", result.advice());
      }
      out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(array));
    } else {
      int width = results.stream().mapToInt(r -> r.check().length()).max().orElse(0);
      for (CheckResult result : results) {
        out.println(
            result.status().mark()
                + " "
                + String.format(Locale.ROOT, "%-" + width + "s", result.check())
                + "  "
                + result.measured());
        if (!result.advice().isEmpty()) {
          out.println("  " + " ".repeat(width) + "  → " + result.advice());
        }
      }
      long failed = results.stream().filter(r -> r.status() == CheckResult.Status.FAILED).count();
      long warned = results.stream().filter(r -> r.status() == CheckResult.Status.WARN).count();
      out.println(
          failed == 0
              ? "all "
                  + results.size()
                  + " checks passed"
                  + (warned == 0 ? "" : ", " + warned + " with a warning")
              : failed + " of " + results.size() + " checks failed");
    }
    out.flush();
    return Doctor.passed(results) ? 0 : 1;
  }
}
