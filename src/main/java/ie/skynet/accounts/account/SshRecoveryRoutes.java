package ie.skynet.accounts.account;

import ie.skynet.accounts.http.RequestAttributes;
import ie.skynet.accounts.policy.EmailShape;
import ie.skynet.accounts.templates.Pages;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.Objects;

/** The pages of recovery by SSH signature: ask for a text, sign it, choose a new password. */
public record SshRecoveryRoutes(SshRecovery recovery, Pages pages) {

  public void addTo(RoutesConfig routes) {
    routes.get("/recover/ssh", ctx -> requestPage(ctx, 200, "", "", ""));
    routes.post("/recover/ssh", this::challenge);
    routes.post("/recover/ssh/verify", this::verify);
  }

  private void challenge(Context ctx) {
    String user = field(ctx, "user");
    String email = field(ctx, "email");
    if (user.isEmpty()
        || email.isEmpty()
        || EmailShape.tooLong(user)
        || EmailShape.tooLong(email)) {
      // What was typed stays in the form, unless it was too long to be anything we know.
      requestPage(
          ctx,
          422,
          EmailShape.tooLong(user) ? "" : user,
          EmailShape.tooLong(email) ? "" : email,
          "Type your username and the address on the account.");
      return;
    }
    switch (recovery.challenge(user, email, RequestAttributes.clientAddress(ctx))) {
      case SshRecovery.ChallengeRequest.Issued issued ->
          challengePage(ctx, 200, user, issued.challenge(), "", "");
      case SshRecovery.ChallengeRequest.TryLater later -> {
        ctx.header("Retry-After", Long.toString(later.after().toSeconds()));
        requestPage(
            ctx,
            429,
            user,
            email,
            "A text was asked for this account a moment ago. Try again in "
                + later.after().toSeconds()
                + " seconds.");
      }
    }
  }

  private void verify(Context ctx) {
    String user = field(ctx, "user");
    String challenge = Objects.requireNonNullElse(ctx.formParam("challenge"), "");
    String signature = Objects.requireNonNullElse(ctx.formParam("signature"), "");
    switch (recovery.verify(user, signature, RequestAttributes.clientAddress(ctx))) {
      case SshRecovery.Verification.Verified verified ->
          ctx.redirect("/recover/password/" + verified.resetToken(), HttpStatus.SEE_OTHER);
      case SshRecovery.Verification.Refused refused ->
          challengePage(ctx, 422, user, challenge, signature, refused.reason());
      case SshRecovery.Verification.Throttled throttled -> {
        ctx.header("Retry-After", Long.toString(throttled.retryAfter().toSeconds()));
        challengePage(
            ctx,
            429,
            user,
            challenge,
            signature,
            "Too many signatures that did not check out. Try again in "
                + throttled.retryAfter().toSeconds()
                + " seconds.");
      }
    }
  }

  private void requestPage(Context ctx, int status, String user, String email, String error) {
    ctx.status(status)
        .html(
            pages.render(
                new RecoveryPage.SshRequest(RequestAttributes.csrfToken(ctx), user, email, error)));
  }

  private void challengePage(
      Context ctx, int status, String user, String challenge, String signature, String error) {
    ctx.status(status)
        .html(
            pages.render(
                new RecoveryPage.SshChallenge(
                    RequestAttributes.csrfToken(ctx),
                    user,
                    challenge,
                    SshRecovery.LIFETIME.toMinutes(),
                    signature,
                    error)));
  }

  private static String field(Context ctx, String name) {
    return Objects.requireNonNullElse(ctx.formParam(name), "").strip();
  }
}
