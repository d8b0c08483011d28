package ie.skynet.accounts.account;

import ie.skynet.accounts.http.Flash;
import ie.skynet.accounts.http.RequestAttributes;
import ie.skynet.accounts.links.Link;
import ie.skynet.accounts.links.LinkCheck;
import ie.skynet.accounts.templates.LinkProblemPage;
import ie.skynet.accounts.templates.Pages;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Login, logout and the account page with its changes: password, contact address (and the page its
 * mailed link opens), SSH keys. Recovery for members who cannot log in is {@link RecoveryRoutes}'.
 *
 * @param secureCookies whether members reach the service over https: the session cookie is then
 *     Secure and {@code __Host-} prefixed, so no subdomain can set or read it
 * @param joinUrl where a lapsed member renews ({@code signup.join-url})
 * @param notices what a change made says on the account page it redirects to
 * @param loginNotices what the login page says after a redirect to it: logged out, address changed
 */
public record AccountRoutes(
    AccountService accounts,
    EmailChanges emailChanges,
    SshKeyChanges keys,
    Pages pages,
    boolean secureCookies,
    URI joinUrl,
    Flash<String> notices,
    Flash<LoginNotice> loginNotices) {
  private static final String REFUSED = "Invalid username or password.";
  private static final String WRONG_PASSWORD = "That is not your current password.";
  private static final String AN_ADDRESS =
      "That is an email address: log in with your username. If you have forgotten it, have it"
          + " mailed to you (the link is below the form).";

  public void addTo(RoutesConfig routes) {
    routes.get(
        "/login",
        ctx -> {
          LoginNotice notice = loginNotices.find(ctx).orElse(new LoginNotice("", ""));
          loginPage(ctx, 200, notice.username(), "", notice.message());
        });
    routes.post("/login", this::login);
    routes.post("/logout", this::logout);
    routes.get(
        "/account",
        ctx ->
            account(
                ctx,
                200,
                notices.find(ctx).map(AccountFeedback::notice).orElse(AccountFeedback.none())));
    routes.post("/account/password", this::changePassword);
    routes.post("/account/email", this::changeEmail);
    routes.post("/account/ssh-keys", this::addKey);
    routes.post("/account/ssh-keys/remove", this::removeKey);
    routes.get("/account/email/{token}", this::emailConfirmPage);
    routes.post("/account/email/{token}", this::confirmEmail);
  }

  private void login(Context ctx) {
    String username = Objects.requireNonNullElse(ctx.formParam("username"), "");
    String password = Objects.requireNonNullElse(ctx.formParam("password"), "");
    // Whatever session the browser had ends here; a new one starts on success.
    String previous = ctx.cookie(cookieName());
    if (previous != null && !previous.isEmpty()) {
      accounts.logout(previous);
    }
    switch (accounts.login(username, password, RequestAttributes.clientAddress(ctx))) {
      case AccountService.Login.LoggedIn in -> {
        ctx.cookie(sessionCookie(in.session(), -1));
        ctx.redirect("/account", HttpStatus.SEE_OTHER);
      }
      // Judged by the shape of what was typed alone, so it says nothing about any account.
      case AccountService.Login.Refused refused ->
          loginPage(ctx, 401, username, username.contains("@") ? AN_ADDRESS : REFUSED, "");
      case AccountService.Login.Throttled throttled -> {
        ctx.header("Retry-After", Long.toString(throttled.retryAfter().toSeconds()));
        loginPage(
            ctx,
            429,
            username,
            "Too many failed attempts from here. Try again in "
                + throttled.retryAfter().toSeconds()
                + " seconds, or recover your password by mail.",
            "");
      }
    }
  }

  private void logout(Context ctx) {
    endSession(ctx);
    loginNotices.redirect(ctx, "/login", new LoginNotice("", "You are logged out."));
  }

  private void changePassword(Context ctx) {
    String session = ctx.cookie(cookieName());
    Optional<String> user = currentUser(ctx);
    if (session == null || user.isEmpty()) {
      ctx.redirect("/login", HttpStatus.SEE_OTHER);
      return;
    }
    String replacement = Objects.requireNonNullElse(ctx.formParam("new-password"), "");
    if (!replacement.equals(Objects.requireNonNullElse(ctx.formParam("new-password-again"), ""))) {
      account(
          ctx,
          422,
          AccountFeedback.newPasswordAgain(
              "This is not the same as the new password above: type the same one twice."));
      return;
    }
    switch (accounts.changePassword(
        session,
        user.get(),
        Objects.requireNonNullElse(ctx.formParam("current-password"), ""),
        replacement,
        RequestAttributes.clientAddress(ctx))) {
      case AccountService.PasswordChange.Changed changed ->
          notices.redirect(
              ctx, "/account", "Your password is changed; other sessions were logged out.");
      case AccountService.PasswordChange.WrongCurrent wrong ->
          account(ctx, 422, AccountFeedback.currentPassword(WRONG_PASSWORD));
      case AccountService.PasswordChange.Throttled throttled -> {
        ctx.header("Retry-After", Long.toString(throttled.retryAfter().toSeconds()));
        account(ctx, 429, AccountFeedback.currentPassword(tooManyWrong(throttled.retryAfter())));
      }
      case AccountService.PasswordChange.Refused refused ->
          account(ctx, 422, AccountFeedback.newPassword(refused.reasons()));
    }
  }

  private static String tooManyWrong(Duration wait) {
    return "Too many wrong passwords from here. Try again in " + wait.toSeconds() + " seconds.";
  }

  private void changeEmail(Context ctx) {
    Optional<String> user = userOrLogin(ctx);
    if (user.isEmpty()) {
      return;
    }
    String email = Objects.requireNonNullElse(ctx.formParam("new-email"), "");
    if (!passwordConfirmed(ctx, user.get(), error -> AccountFeedback.emailPassword(error, email))) {
      return;
    }
    switch (emailChanges.request(user.get(), email, RequestAttributes.clientAddress(ctx))) {
      case EmailChanges.Request.Sent sent ->
          notices.redirect(
              ctx,
              "/account",
              "We have mailed a link to "
                  + sent.email()
                  + ". Your address changes when you open it; until then it stays as it is.");
      case EmailChanges.Request.Invalid invalid ->
          account(ctx, 422, AccountFeedback.email(invalid.reason(), email));
      case EmailChanges.Request.Unchanged unchanged ->
          account(ctx, 422, AccountFeedback.email("That is already your contact address.", email));
      case EmailChanges.Request.TryLater later -> {
        ctx.header("Retry-After", Long.toString(later.after().toSeconds()));
        account(
            ctx,
            429,
            AccountFeedback.email(
                "A link went to that address a moment ago. Try again in "
                    + later.after().toSeconds()
                    + " seconds.",
                email));
      }
    }
  }

  /**
   * Asks for the password again before a change that could take the account over; on a wrong one,
   * answers with the form's error and returns false.
   */
  private boolean passwordConfirmed(
      Context ctx, String username, java.util.function.Function<String, AccountFeedback> form) {
    String password = Objects.requireNonNullElse(ctx.formParam("password"), "");
    switch (accounts.confirmPassword(username, password, RequestAttributes.clientAddress(ctx))) {
      case AccountService.Reauthentication.Wrong wrong -> {
        account(ctx, 422, form.apply(WRONG_PASSWORD));
        return false;
      }
      case AccountService.Reauthentication.Throttled throttled -> {
        ctx.header("Retry-After", Long.toString(throttled.retryAfter().toSeconds()));
        account(ctx, 429, form.apply(tooManyWrong(throttled.retryAfter())));
        return false;
      }
      case AccountService.Reauthentication.Confirmed confirmed -> {
        return true;
      }
    }
  }

  private void addKey(Context ctx) {
    Optional<String> user = userOrLogin(ctx);
    if (user.isEmpty()) {
      return;
    }
    String pasted = Objects.requireNonNullElse(ctx.formParam("key"), "");
    // What was pasted goes back into the form, so nothing is pasted twice; never a private key.
    String shown = SshPublicKeys.isArmored(pasted) ? "" : pasted;
    if (!passwordConfirmed(ctx, user.get(), error -> AccountFeedback.keyPassword(error, shown))) {
      return;
    }
    switch (keys.add(user.get(), pasted, RequestAttributes.clientAddress(ctx))) {
      case SshKeyChanges.Addition.Added added ->
          notices.redirect(
              ctx,
              "/account",
              "Key " + added.key().fingerprint() + " added; we have mailed you about it.");
      case SshKeyChanges.Addition.AlreadyThere there ->
          account(
              ctx,
              422,
              AccountFeedback.key(
                  "The account has this key already (" + there.key().fingerprint() + ").", shown));
      case SshKeyChanges.Addition.Rejected rejected ->
          account(ctx, 422, AccountFeedback.key(rejected.reason(), shown));
    }
  }

  private void removeKey(Context ctx) {
    Optional<String> user = userOrLogin(ctx);
    if (user.isEmpty()) {
      return;
    }
    String line = Objects.requireNonNullElse(ctx.formParam("key"), "");
    if (keys.remove(user.get(), line, RequestAttributes.clientAddress(ctx))) {
      notices.redirect(ctx, "/account", "Key removed; we have mailed you about it.");
    } else {
      account(ctx, 409, AccountFeedback.key("That key was not on the account (any more).", ""));
    }
  }

  private void emailConfirmPage(Context ctx) {
    String token = ctx.pathParam("token");
    switch (emailChanges.check(token)) {
      case LinkCheck.Valid(Link valid) ->
          ctx.html(
              pages.render(
                  new AccountPage.EmailConfirm(
                      RequestAttributes.csrfToken(ctx),
                      "/account/email/" + token,
                      valid.subject(),
                      valid.address())));
      case LinkCheck refused -> emailLinkProblem(ctx, refused);
    }
  }

  private void confirmEmail(Context ctx) {
    switch (emailChanges.confirm(ctx.pathParam("token"), RequestAttributes.clientAddress(ctx))) {
      case EmailChanges.Confirmation.Changed changed -> {
        String message =
            "The contact address of "
                + changed.username()
                + " is now "
                + changed.email()
                + "."
                + (changed.activated()
                    ? " It belongs to a current membership, so the account is active again."
                    : changed.membershipLinked()
                        ? " It belongs to a current membership, which is now linked to the"
                            + " account."
                        : "");
        if (currentUser(ctx).isPresent()) {
          notices.redirect(ctx, "/account", message);
        } else {
          loginNotices.redirect(ctx, "/login", new LoginNotice(changed.username(), message));
        }
      }
      case EmailChanges.Confirmation.LinkRefused refused -> emailLinkProblem(ctx, refused.link());
    }
  }

  /** What an address link says when it does not work. */
  private static final LinkProblemPage.Wording EMAIL_LINKS =
      new LinkProblemPage.Wording(
          "Address links work for "
              + EmailChanges.LIFETIME.toHours()
              + " hours. Ask for a new one on your account page.",
          "The address was changed with it already.",
          "/account",
          "Go to your account");

  private void emailLinkProblem(Context ctx, LinkCheck link) {
    LinkProblemPage page = LinkProblemPage.of(link, EMAIL_LINKS);
    ctx.status(page.status()).html(pages.render(page));
  }

  private void account(Context ctx, int status, AccountFeedback feedback) {
    Optional<String> user = currentUser(ctx);
    Optional<AccountView> view = user.flatMap(accounts::view);
    if (view.isEmpty()) {
      ctx.redirect("/login", HttpStatus.SEE_OTHER);
      return;
    }
    ctx.status(status)
        .html(
            pages.render(
                new AccountPage.Overview(
                    RequestAttributes.csrfToken(ctx),
                    view.get(),
                    feedback,
                    joinUrl.toString(),
                    accounts.isAdmin(user.get()))));
  }

  /** The logged-in user; if there is none, the answer is a redirect to the login page. */
  private Optional<String> userOrLogin(Context ctx) {
    Optional<String> user = currentUser(ctx);
    if (user.isEmpty()) {
      ctx.redirect("/login", HttpStatus.SEE_OTHER);
    }
    return user;
  }

  /** The user logged in on this request's session, if any. */
  public Optional<String> currentUser(Context ctx) {
    String session = ctx.cookie(cookieName());
    return session == null || session.isEmpty() ? Optional.empty() : accounts.user(session);
  }

  private void endSession(Context ctx) {
    String session = ctx.cookie(cookieName());
    if (session != null && !session.isEmpty()) {
      accounts.logout(session);
      ctx.cookie(sessionCookie("", 0));
    }
  }

  private String cookieName() {
    return secureCookies ? "__Host-session" : "session";
  }

  private Cookie sessionCookie(String value, int maxAge) {
    return new Cookie(cookieName(), value, "/", maxAge, secureCookies, true, null, SameSite.LAX);
  }

  private void loginPage(Context ctx, int status, String username, String error, String notice) {
    ctx.status(status)
        .html(
            pages.render(
                new AccountPage.Login(RequestAttributes.csrfToken(ctx), username, error, notice)));
  }
}
