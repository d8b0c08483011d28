package ie.skynet.accounts.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import ie.skynet.accounts.outbox.MailStatus;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.outbox.OutboxEntry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "outbox",
    mixinStandardHelpOptions = true,
    description = "See the mail outbox and queue failed mail again.",
    subcommands = {
      OutboxCommand.Listing.class,
      OutboxCommand.Send.class,
      OutboxCommand.Resend.class
    })
final class OutboxCommand {
  @ParentCommand AccountsCommand parent;

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List mails, newest first (never their bodies: they may hold one-time links).")
  static final class Listing implements Callable<Integer> {
    @ParentCommand OutboxCommand outbox;
    @Spec CommandSpec spec;

    @Option(
        names = "--status",
        paramLabel = "S",
        description = "only mails in this state: ${COMPLETION-CANDIDATES}")
    @Nullable MailStatus status;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "50",
        description = "at most N mails (default ${DEFAULT-VALUE})")
    int limit;

    @Mixin JsonOutput json;

    @Override
    public Integer call() throws JsonProcessingException {
      Services services = outbox.parent.services();
      services.database().migrate();
      List<OutboxEntry> entries = services.outbox().list(status, limit);
      PrintWriter out = spec.commandLine().getOut();
      if (json.wanted) {
        List<Map<String, Object>> array = new ArrayList<>();
        for (OutboxEntry e : entries) {
          Map<String, Object> item = new LinkedHashMap<>();
          item.put("id", e.id());
          item.put("to", e.to());
          item.put("template", e.template());
          item.put("subject", e.subject());
          item.put("status", e.status().code());
          item.put("attempts", e.attempts());
          item.put("nextAttemptAt", e.nextAttemptAt().toString());
          item.put("lastError", e.lastError());
          item.put("createdAt", e.createdAt().toString());
          item.put("sentAt", e.sentAt() == null ? null : e.sentAt().toString());
          array.add(item);
        }
        json.print(out, array);
      } else if (entries.isEmpty()) {
        out.println("no mail" + (status == null ? "" : " with status " + status.code()));
      } else {
        for (OutboxEntry e : entries) {
          out.printf(
              "%d  %-7s  %s  %s  to %s  (%d attempt%s%s)%s%n",
              e.id(),
              e.status().code(),
              e.createdAt(),
              e.template(),
              e.to(),
              e.attempts(),
              e.attempts() == 1 ? "" : "s",
              e.status() == MailStatus.PENDING ? ", next " + e.nextAttemptAt() : "",
              e.lastError() == null ? "" : "\n      last error: " + e.lastError());
        }
      }
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "resend",
      mixinStandardHelpOptions = true,
      description = "Queue failed mail again, now. Sent mail is never sent twice.")
  static final class Resend implements Callable<Integer> {
    @ParentCommand OutboxCommand outbox;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "ID", description = "the failed mails to resend")
    List<Long> ids = new ArrayList<>();

    @Option(names = "--all-failed", description = "resend every failed mail")
    boolean allFailed;

    @Override
    public Integer call() {
      if (ids.isEmpty() != allFailed) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "give the IDs of failed mails, or --all-failed (not both)");
      }
      Services services = outbox.parent.services();
      services.database().migrate();
      int queued = services.outbox().resend(ids);
      PrintWriter out = spec.commandLine().getOut();
      out.println("queued " + queued + " failed mail" + (queued == 1 ? "" : "s") + " again");
      if (!allFailed && queued < ids.size()) {
        out.println(
            (ids.size() - queued)
                + " of the given mails are not failed (or do not exist): only failed mail can be"
                + " resent; see `accounts outbox list --status failed`");
      }
      out.flush();
      return allFailed || queued == ids.size() ? 0 : 1;
    }
  }

  @Command(
      name = "send",
      mixinStandardHelpOptions = true,
      description = {
        "Send every mail that is due now, through the configured SMTP server (smtp.* keys).",
        "Exit 1 if any mail is waiting after an error: see `accounts outbox list`."
      })
  static final class Send implements Callable<Integer> {
    @ParentCommand OutboxCommand outbox;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Services services = outbox.parent.services();
      services.database().migrate();
      services.outboxWorker().recover();
      int sent = services.outboxWorker().sendDue();
      Outbox.Counts counts = services.outbox().counts();
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "sent %d; now %d pending (%d retrying after an error), %d failed%n",
          sent, counts.pending(), counts.retrying(), counts.failed());
      out.flush();
      return counts.retrying() + counts.failed() == 0 ? 0 : 1;
    }
  }
}
