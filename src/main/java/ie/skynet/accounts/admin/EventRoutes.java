package ie.skynet.accounts.admin;

import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.event.EventMode;
import ie.skynet.accounts.http.BaseUrl;
import ie.skynet.accounts.http.RequestAttributes;
import ie.skynet.accounts.membership.ImportRunLog;
import ie.skynet.accounts.membership.Memberships;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.templates.ErrorPage;
import ie.skynet.accounts.templates.Pages;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A signup event: the admins' switch for event mode and its projector link, and the projector page
 * itself, for a logged-in admin or anyone with the link. The projector page shows counts only: it
 * is on a wall, in front of a room.
 */
public record EventRoutes(
    AdminRoutes admins,
    EventMode events,
    Database database,
    Memberships memberships,
    Outbox outbox,
    BaseUrl baseUrl,
    Pages pages,
    Clock clock) {
  /** The lengths on offer, in hours: an evening's event, and a day's stand. */
  static final List<Integer> HOURS = List.of(1, 2, 3, 4, 6, 8, 12);

  public void addTo(RoutesConfig routes) {
    routes.get("/admin/event", admins.admin((ctx, a) -> switchPage(ctx, 200, "", "", "")));
    routes.post("/admin/event/on", admins.admin(this::switchOn));
    routes.post("/admin/event/off", admins.admin(this::switchOff));
    routes.post("/admin/event/projector-link", admins.admin(this::projectorLink));
    routes.get("/event", admins.admin((ctx, a) -> projector(ctx, false)));
    routes.get("/event/{token}", this::projectorByLink);
  }

  private void switchPage(
      Context ctx, int status, String projectorLink, String notice, String error) {
    ctx.status(status)
        .html(
            pages.render(
                new AdminPage.SignupEvent(
                    RequestAttributes.csrfToken(ctx),
                    events.current().orElse(null),
                    HOURS,
                    projectorLink,
                    notice,
                    error)));
  }

  private void switchOn(Context ctx, String admin) {
    String asked = Objects.requireNonNullElse(ctx.formParam("hours"), "").strip();
    Optional<Integer> hours = HOURS.stream().filter(h -> h.toString().equals(asked)).findFirst();
    if (hours.isEmpty()) {
      switchPage(
          ctx,
          422,
          "",
          "",
          "Choose how long the event lasts: one of " + HOURS + " hours. Nothing changed.");
      return;
    }
    EventMode.Event event =
        events.start(Duration.ofHours(hours.get()), admin, RequestAttributes.clientAddress(ctx));
    switchPage(
        ctx,
        200,
        "",
        "Event mode is on until " + AdminPage.time(event.ends()) + " UTC; it ends by itself then.",
        "");
  }

  private void switchOff(Context ctx, String admin) {
    boolean wasOn = events.stop(admin, RequestAttributes.clientAddress(ctx));
    switchPage(
        ctx,
        200,
        "",
        wasOn
            ? "Event mode is off: the usual limit per network applies again, and the projector"
                + " link no longer works."
            : "Event mode was not on.",
        "");
  }

  private void projectorLink(Context ctx, String admin) {
    Optional<String> token = events.newProjectorToken(admin, RequestAttributes.clientAddress(ctx));
    if (token.isEmpty()) {
      switchPage(
          ctx,
          422,
          "",
          "",
          "Switch event mode on first: a projector link works only while an event is on.");
      return;
    }
    switchPage(
        ctx,
        200,
        baseUrl.link("/event/" + token.get()),
        "A new projector link is made; any earlier one no longer works.",
        "");
  }

  private void projectorByLink(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    if (!events.projectorLinkWorks(ctx.pathParam("token"))) {
      ctx.status(HttpStatus.NOT_FOUND)
          .html(
              pages.render(
                  new ErrorPage(
                      "This projector link does not work",
                      "A projector link works while its signup event is on, and only the newest"
                          + " one made for it. Ask an admin for a new one.",
                      "")));
      return;
    }
    projector(ctx, true);
  }

  private void projector(Context ctx, boolean refreshes) {
    Instant now = clock.instant();
    Instant hourAgo = now.minus(Duration.ofHours(1));
    Outbox.Since mail = outbox.since(hourAgo);
    Optional<Instant> imported =
        database.withConnection("reading the import history", ImportRunLog::lastAccepted);
    String signup = baseUrl.link("/signup");
    ctx.html(
        pages.render(
            new AdminPage.Projector(
                signup,
                SignupQr.of(signup),
                hourAgo,
                mail.sent(),
                memberships.accountsCreatedSince(hourAgo),
                mail.waiting(),
                mail.failed(),
                imported.map(at -> Math.max(0, Duration.between(at, now).toSeconds())).orElse(-1L),
                events.current().map(EventMode.Event::ends).orElse(null),
                refreshes)));
  }
}
