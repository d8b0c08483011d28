package ie.skynet.accounts.account;

import ie.skynet.accounts.http.Flash;
import ie.skynet.accounts.http.RequestAttributes;
import ie.skynet.accounts.links.Link;
import ie.skynet.accounts.links.LinkCheck;
import ie.skynet.accounts.policy.EmailShape;
import ie.skynet.accounts.policy.RequestLimits;
import ie.skynet.accounts.templates.LinkProblemPage;
import ie.skynet.accounts.templates.Pages;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Objects;

/**
 * The pages of recovery by mail: the usernames of an address mailed to it, and a link for choosing
 * a new password mailed to the account's address, with the page that link opens.
 *
 * @param loginNotices where a new password's notice goes: the login page the reset ends on
 */
public record RecoveryRoutes(
    RecoveryService recovery, Pages pages, Flash<LoginNotice> loginNotices) {

  public void addTo(RoutesConfig routes) {
    routes.get("/recover/username", ctx -> usernamePage(ctx, 200, "", ""));
    routes.post("/recover/username", this::recoverUsername);
    routes.get("/recover/password", ctx -> passwordPage(ctx, 200, "", ""));
    routes.post("/recover/password", this::recoverPassword);
    routes.get("/recover/password/{token}", this::resetForm);
    routes.post("/recover/password/{token}", this::reset);
  }

  private void recoverUsername(Context ctx) {
    String email = Objects.requireNonNullElse(ctx.formParam("email"), "").strip();
    if (!EmailShape.fits(email)) {
      usernamePage(
          ctx,
          422,
          EmailShape.tooLong(email) ? "" : email,
          "Enter the whole email address, with its domain after the @, such as name@example.com.");
      return;
    }
    sent(
        ctx,
        email,
        recovery.requestUsernames(email, RequestAttributes.clientAddress(ctx)),
        "We have mailed "
            + email
            + " the usernames of the accounts that use it, or how to make"
            + " one. It should arrive within a minute.");
  }

  private void sent(Context ctx, String asked, RequestLimits.Verdict verdict, String message) {
    long wait = verdict.secondsToWait();
    if (wait > 0) {
      ctx.header("Retry-After", Long.toString(wait));
    }
    ctx.status(wait > 0 ? 429 : 200)
        .html(
            pages.render(
                new RecoveryPage.Sent(
                    asked, wait, verdict instanceof RequestLimits.Verdict.NetworkBusy, message)));
  }

  private void recoverPassword(Context ctx) {
    String user = Objects.requireNonNullElse(ctx.formParam("user"), "").strip();
    // A username or an address, so only an address's length limit applies.
    if (user.isEmpty() || EmailShape.tooLong(user)) {
      passwordPage(ctx, 422, "", "Enter your username or the email address of your account.");
      return;
    }
    sent(
        ctx,
        user,
        recovery.requestPasswordReset(user, RequestAttributes.clientAddress(ctx)),
        "If "
            + user
            + " is the username or address of an account, we have mailed the account's"
            + " address a link for choosing a new password. It should arrive within a minute.");
  }

  private void resetForm(Context ctx) {
    String token = ctx.pathParam("token");
    switch (recovery.check(token)) {
      case LinkCheck.Valid valid ->
          resetPage(ctx, 200, token, valid.link().subject(), List.of(), "");
      case LinkCheck refused -> linkProblem(ctx, refused);
    }
  }

  private void reset(Context ctx) {
    String token = ctx.pathParam("token");
    String password = Objects.requireNonNullElse(ctx.formParam("password"), "");
    LinkCheck link = recovery.check(token);
    if (!(link instanceof LinkCheck.Valid(Link valid))) {
      linkProblem(ctx, link);
      return;
    }
    String username = valid.subject();
    if (!password.equals(Objects.requireNonNullElse(ctx.formParam("password-again"), ""))) {
      resetPage(
          ctx,
          422,
          token,
          username,
          List.of(),
          "This is not the same as the password above: type the same one twice.");
      return;
    }
    switch (recovery.reset(token, password, RequestAttributes.clientAddress(ctx))) {
      case RecoveryService.Reset.Done done ->
          loginNotices.redirect(
              ctx,
              "/login",
              new LoginNotice(done.username(), "Your password is changed. Log in with it."));
      case RecoveryService.Reset.PasswordRefused refused ->
          resetPage(ctx, 422, token, username, refused.reasons(), "");
      case RecoveryService.Reset.LinkRefused refused -> linkProblem(ctx, refused.link());
    }
  }

  /** What a reset link says when it does not work. */
  private static final LinkProblemPage.Wording LINKS =
      new LinkProblemPage.Wording(
          "Reset links work for an hour. Ask for a new one.",
          "Each reset link works once. If you did not use it, ask for a new one and tell the"
              + " society's sysadmins.",
          "/recover/password",
          "Ask for a new link");

  private void linkProblem(Context ctx, LinkCheck link) {
    LinkProblemPage page = LinkProblemPage.of(link, LINKS);
    ctx.status(page.status()).html(pages.render(page));
  }

  private void passwordPage(Context ctx, int status, String user, String error) {
    ctx.status(status)
        .html(
            pages.render(new RecoveryPage.Password(RequestAttributes.csrfToken(ctx), user, error)));
  }

  private void resetPage(
      Context ctx,
      int status,
      String token,
      String username,
      List<String> errors,
      String againError) {
    ctx.status(status)
        .html(
            pages.render(
                new RecoveryPage.Reset(
                    RequestAttributes.csrfToken(ctx),
                    "/recover/password/" + token,
                    username,
                    errors,
                    againError)));
  }

  private void usernamePage(Context ctx, int status, String email, String error) {
    ctx.status(status)
        .html(
            pages.render(
                new RecoveryPage.Username(RequestAttributes.csrfToken(ctx), email, error)));
  }
}
