package ie.skynet.accounts.admin;

import ie.skynet.accounts.account.AccountRoutes;
import ie.skynet.accounts.account.AccountService;
import ie.skynet.accounts.asks.AskQueue;
import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.JobLeases;
import ie.skynet.accounts.event.EventMode;
import ie.skynet.accounts.http.RequestAttributes;
import ie.skynet.accounts.lifecycle.Disabling;
import ie.skynet.accounts.membership.ImportRunLog;
import ie.skynet.accounts.membership.Memberships;
import ie.skynet.accounts.outbox.MailStatus;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.templates.ErrorPage;
import ie.skynet.accounts.templates.Pages;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The admin pages and their actions. Each answers only a logged-in admin ({@link
 * AccountService#isAdmin}); anyone else logged in is refused (and the refusal audited), anyone not
 * logged in is sent to log in. Changes are posted with the CSRF token like every form, and each is
 * audited with its actor.
 */
public record AdminRoutes(
    AccountRoutes login,
    AccountService accounts,
    Database database,
    Memberships memberships,
    AuditLog audit,
    Outbox outbox,
    AskQueue asks,
    Disabling disabling,
    EventMode events,
    Pages pages,
    Clock clock) {

  /** The most rows a page lists: enough to find someone, never the whole list. */
  static final int ROWS = 200;

  /** A page or action, for the admin logged in. */
  @FunctionalInterface
  interface AdminHandler {
    void handle(Context ctx, String admin) throws Exception;
  }

  public void addTo(RoutesConfig routes) {
    routes.get("/admin", admin(this::dashboard));
    routes.get("/admin/members", admin(this::members));
    routes.get("/admin/members.csv", admin(this::export));
    routes.get("/admin/accounts", admin((ctx, a) -> accountsPage(ctx, 200, query(ctx), "", "")));
    routes.post("/admin/accounts/{username}/disable", admin((ctx, a) -> disable(ctx, a, true)));
    routes.post("/admin/accounts/{username}/enable", admin((ctx, a) -> disable(ctx, a, false)));
    routes.get("/admin/imports", admin(this::imports));
    routes.get("/admin/imports/{id}", admin(this::importRun));
    routes.get("/admin/mail", admin((ctx, a) -> mail(ctx, "")));
    routes.post("/admin/mail/resend", admin((ctx, a) -> resend(ctx, a, List.of())));
    routes.post("/admin/mail/{id}/resend", admin(this::resendOne));
    routes.get("/admin/audit", admin(this::auditPage));
  }

  /** The handler, for admins only: others are refused or sent to log in, as on every admin page. */
  Handler admin(AdminHandler handler) {
    return ctx -> {
      Optional<String> user = login.currentUser(ctx);
      if (user.isEmpty()) {
        ctx.redirect("/login", HttpStatus.SEE_OTHER);
        return;
      }
      ctx.header("Cache-Control", "no-store");
      if (!accounts.isAdmin(user.get())) {
        audit.record(
            database,
            new AuditLog.Entry(
                user.get(),
                "admin-refused",
                user.get(),
                RequestAttributes.clientAddress(ctx),
                AuditLog.Outcome.REFUSED,
                ctx.method() + " " + ctx.path()));
        ctx.status(HttpStatus.FORBIDDEN)
            .html(
                pages.render(
                    new ErrorPage(
                        "Admins only",
                        "These pages are for the society's admins, and "
                            + user.get()
                            + " is not one of them. If you should be, ask the sysadmins.",
                        "")));
        return;
      }
      handler.handle(ctx, user.get());
    };
  }

  private LocalDate today() {
    return LocalDate.now(clock);
  }

  private static String query(Context ctx) {
    return Objects.requireNonNullElse(ctx.queryParam("q"), "").strip();
  }

  private void dashboard(Context ctx, String admin) {
    ctx.html(
        pages.render(
            new AdminPage.Dashboard(
                RequestAttributes.csrfToken(ctx),
                today(),
                memberships.census(today()),
                memberships.accountStatuses(),
                database
                    .withConnection("reading the import history", c -> ImportRunLog.history(c, 1))
                    .stream()
                    .findFirst()
                    .orElse(null),
                database.withConnection("reading the jobs' last runs", JobLeases::all),
                outbox.counts(),
                asks.waitingCount(),
                audit.search(database, new AuditLog.Filter("", "", ""), 10),
                events.current().orElse(null))));
  }

  private void members(Context ctx, String admin) {
    String query = query(ctx);
    ctx.html(
        pages.render(
            new AdminPage.Members(
                RequestAttributes.csrfToken(ctx),
                today(),
                query,
                memberships.search(query, false, ROWS))));
  }

  private void export(Context ctx, String admin) throws Exception {
    // Audited before a byte leaves: a download cut short has still shown personal data.
    audit.record(
        database,
        new AuditLog.Entry(
            admin,
            "members-exported",
            AuditLog.ANONYMOUS,
            RequestAttributes.clientAddress(ctx),
            AuditLog.Outcome.DONE,
            "every member as CSV"));
    ctx.contentType("text/csv; charset=utf-8");
    ctx.header("Content-Disposition", "attachment; filename=\"members-" + today() + ".csv\"");
    try (Writer out = new OutputStreamWriter(ctx.outputStream(), StandardCharsets.UTF_8)) {
      MembersCsv.write(memberships, out);
    }
  }

  private void accountsPage(Context ctx, int status, String query, String notice, String error) {
    ctx.status(status)
        .html(
            pages.render(
                new AdminPage.Accounts(
                    RequestAttributes.csrfToken(ctx),
                    today(),
                    query,
                    memberships.search(query, true, ROWS),
                    notice,
                    error)));
  }

  private void disable(Context ctx, String admin, boolean disable) {
    String username = ctx.pathParam("username");
    String reason = Objects.requireNonNullElse(ctx.formParam("reason"), "");
    String client = RequestAttributes.clientAddress(ctx);
    if (disable && username.equals(admin)) {
      accountsPage(
          ctx,
          422,
          username,
          "",
          "You cannot disable your own account: you would lock yourself out. Ask another admin.");
      return;
    }
    Disabling.Result result =
        disable
            ? disabling.disable(username, reason, admin, client)
            : disabling.enable(username, reason, admin, client);
    String done = username + " is " + (disable ? "disabled" : "enabled again");
    switch (result) {
      case Disabling.Result.Changed changed ->
          accountsPage(
              ctx,
              200,
              username,
              done
                  + (changed.access()
                      ? "; its membership is current, so it has its access back."
                      : disable
                          ? ": it is out of the members group, with the disabled shell."
                          : "; its membership is not current, so it stays without access until"
                              + " it renews."),
              "");
      case Disabling.Result.DirectoryLagging lagging ->
          accountsPage(
              ctx,
              200,
              username,
              done
                  + " here, but changing the directory failed ("
                  + lagging.error()
                  + "); the next sync will make the directory agree.",
              "");
      case Disabling.Result.Refused refused -> accountsPage(ctx, 422, username, "", refused.why());
    }
  }

  private void imports(Context ctx, String admin) {
    ctx.html(
        pages.render(
            new AdminPage.Imports(
                RequestAttributes.csrfToken(ctx),
                database.withConnection(
                    "reading the import history", c -> ImportRunLog.history(c, ROWS)))));
  }

  private void importRun(Context ctx, String admin) {
    Optional<Long> number = idOrNotFound(ctx, "import");
    if (number.isEmpty()) {
      return;
    }
    long id = number.get();
    Optional<ImportRunLog.Run> run =
        database.withConnection("reading import " + id, c -> ImportRunLog.run(c, id));
    if (run.isEmpty()) {
      notFound(ctx, "There is no import " + id + ".");
      return;
    }
    ctx.html(
        pages.render(
            new AdminPage.ImportRun(
                RequestAttributes.csrfToken(ctx),
                run.get(),
                database.withConnection(
                    "reading the rejects of import " + id, c -> ImportRunLog.rejects(c, id)))));
  }

  private void notFound(Context ctx, String message) {
    ctx.status(HttpStatus.NOT_FOUND).html(pages.render(new ErrorPage("Not found", message, "")));
  }

  private void mail(Context ctx, String notice) {
    String code = Objects.requireNonNullElse(ctx.queryParam("status"), "");
    MailStatus status =
        Arrays.stream(MailStatus.values())
            .filter(s -> s.code().equals(code))
            .findFirst()
            .orElse(null);
    ctx.html(
        pages.render(
            new AdminPage.Mail(
                RequestAttributes.csrfToken(ctx),
                status,
                outbox.counts(),
                outbox.list(status, ROWS),
                notice)));
  }

  private void resendOne(Context ctx, String admin) {
    idOrNotFound(ctx, "mail").ifPresent(id -> resend(ctx, admin, List.of(id)));
  }

  /** The path's {@code id} as a number; if it is not one, the answer is a 404 naming it. */
  private Optional<Long> idOrNotFound(Context ctx, String what) {
    try {
      return Optional.of(Long.parseLong(ctx.pathParam("id")));
    } catch (NumberFormatException e) {
      notFound(ctx, "There is no " + what + " " + ctx.pathParam("id") + ".");
      return Optional.empty();
    }
  }

  private void resend(Context ctx, String admin, List<Long> ids) {
    int queued = outbox.resend(ids);
    audit.record(
        database,
        new AuditLog.Entry(
            admin,
            "mail-resent",
            AuditLog.ANONYMOUS,
            RequestAttributes.clientAddress(ctx),
            queued > 0 ? AuditLog.Outcome.DONE : AuditLog.Outcome.REFUSED,
            ids.isEmpty()
                ? queued + " failed mails queued again"
                : "mail " + ids.get(0) + (queued > 0 ? " queued again" : " was not failed")));
    mail(
        ctx,
        queued == 0
            ? "Nothing to send again: no such failed mail (any more)."
            : queued + (queued == 1 ? " mail is" : " mails are") + " queued to be sent again.");
  }

  private void auditPage(Context ctx, String admin) {
    AuditLog.Filter filter =
        new AuditLog.Filter(
            Objects.requireNonNullElse(ctx.queryParam("actor"), "").strip(),
            Objects.requireNonNullElse(ctx.queryParam("action"), "").strip(),
            Objects.requireNonNullElse(ctx.queryParam("target"), "").strip());
    ctx.html(
        pages.render(
            new AdminPage.Audit(
                RequestAttributes.csrfToken(ctx),
                filter,
                audit.actions(database),
                audit.search(database, filter, ROWS))));
  }
}
