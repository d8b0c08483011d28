package ie.skynet.accounts.signup;

import ie.skynet.accounts.http.Flash;
import ie.skynet.accounts.http.RequestAttributes;
import ie.skynet.accounts.links.LinkCheck;
import ie.skynet.accounts.policy.EmailShape;
import ie.skynet.accounts.policy.RequestLimits;
import ie.skynet.accounts.templates.HomePage;
import ie.skynet.accounts.templates.LinkProblemPage;
import ie.skynet.accounts.templates.Pages;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signup pages: ask with an email, "check your email" (with resend), choose a username and
 * password, done.
 *
 * @param done what the page after a completed signup shows, carried across the redirect to it
 */
public record SignupRoutes(SignupService signup, Pages pages, Flash<SignupPage.Done> done) {
  private static final Logger log = LoggerFactory.getLogger(SignupRoutes.class);

  /** The page after a completed signup; not under /signup/, where any name is a link's token. */
  static final String DONE = "/welcome";

  public void addTo(RoutesConfig routes) {
    routes.get("/", ctx -> ctx.html(pages.render(new HomePage(signup.joinUrl().toString()))));
    routes.get("/signup", ctx -> requestPage(ctx, 200, "", ""));
    routes.post("/signup", this::request);
    routes.get("/signup/{token}", this::chooseForm);
    routes.post("/signup/{token}", this::complete);
    routes.get(
        DONE,
        ctx ->
            done.find(ctx)
                .ifPresentOrElse(
                    page -> ctx.html(pages.render(page)),
                    // Reloaded after a restart, or a stranger's copy of the address: the account
                    // page says the rest.
                    () -> ctx.redirect("/login", HttpStatus.SEE_OTHER)));
  }

  private void request(Context ctx) {
    String email = Objects.requireNonNullElse(ctx.formParam("email"), "").strip();
    if (!EmailShape.fits(email)) {
      requestPage(
          ctx,
          422,
          EmailShape.tooLong(email) ? "" : email,
          "Enter the whole email address of your Wolves membership, with its domain after the @,"
              + " such as name@example.com.");
      return;
    }
    RequestLimits.Verdict verdict = signup.request(email, RequestAttributes.clientAddress(ctx));
    long wait = verdict.secondsToWait();
    if (wait > 0) {
      ctx.header("Retry-After", Long.toString(wait));
    }
    ctx.status(wait > 0 ? 429 : 200)
        .html(
            pages.render(
                new SignupPage.Sent(
                    csrf(ctx), email, wait, verdict instanceof RequestLimits.Verdict.NetworkBusy)));
  }

  private void chooseForm(Context ctx) {
    String token = ctx.pathParam("token");
    switch (signup.check(token)) {
      case LinkCheck.Valid valid ->
          choosePage(ctx, 200, token, valid.link().address(), "", Problems.NONE);
      case LinkCheck refused -> linkProblem(ctx, refused);
    }
  }

  private void complete(Context ctx) {
    String token = ctx.pathParam("token");
    String username = Objects.requireNonNullElse(ctx.formParam("username"), "");
    String password = Objects.requireNonNullElse(ctx.formParam("password"), "");
    String again = Objects.requireNonNullElse(ctx.formParam("password-again"), "");
    LinkCheck check = signup.check(token);
    if (!(check instanceof LinkCheck.Valid valid)) {
      linkProblem(ctx, check);
      return;
    }
    String email = valid.link().address();
    if (!password.equals(again)) {
      choosePage(
          ctx,
          422,
          token,
          email,
          username,
          new Problems(
              "",
              "",
              List.of(),
              "This is not the same as the password above: type the same one twice.",
              ""));
      return;
    }
    Completion completion;
    try {
      completion = signup.complete(token, username, password, RequestAttributes.clientAddress(ctx));
    } catch (RuntimeException e) {
      // The service undid what it had made (and says loudly in the log if it could not).
      log.error("creating an account failed", e);
      choosePage(
          ctx,
          503,
          token,
          email,
          username,
          new Problems(
              "",
              "",
              List.of(),
              "",
              "We could not create your account just now: the fault is on our side, and what was"
                  + " started has been undone. Your link still works: try again in a minute."));
      return;
    }
    switch (completion) {
      case Completion.Created created ->
          done.redirect(
              ctx, DONE, new SignupPage.Done(created.username(), true, signup.whatNext()));
      case Completion.MembershipHasAccount has ->
          done.redirect(ctx, DONE, new SignupPage.Done(has.username(), false, signup.whatNext()));
      // The passwords were the same, and are kept: only the name has to be typed again.
      case Completion.UsernameRefused refused ->
          choosePage(
              ctx,
              422,
              token,
              email,
              username,
              new Problems(refused.reason(), password, List.of(), "", ""));
      case Completion.PasswordRefused refused ->
          choosePage(
              ctx, 422, token, email, username, new Problems("", "", refused.reasons(), "", ""));
      case Completion.LinkRefused refused -> linkProblem(ctx, refused.check());
      case Completion.MembershipChanged changed ->
          problem(
              ctx,
              new LinkProblemPage(
                  409,
                  "Your membership has changed",
                  "Since this link was sent, the membership it was for has lapsed or moved to"
                      + " another email address. Ask for a new link with the address your"
                      + " membership uses now.",
                  LINKS.retryHref(),
                  LINKS.retryLabel()));
    }
  }

  /** What a signup link says when it does not work. */
  private static final LinkProblemPage.Wording LINKS =
      new LinkProblemPage.Wording(
          "Links work for a limited time. Ask for a new one: it takes a minute.",
          "Each link works once, and this one has already made an account. If that was not you, or"
              + " you have lost the password, ask for a new link: the mail will say which account"
              + " your membership has.",
          "/signup",
          "Ask for a new link");

  private void linkProblem(Context ctx, LinkCheck check) {
    problem(ctx, LinkProblemPage.of(check, LINKS));
  }

  private void problem(Context ctx, LinkProblemPage page) {
    ctx.status(page.status()).html(pages.render(page));
  }

  private void requestPage(Context ctx, int status, String email, String error) {
    ctx.status(status).html(pages.render(new SignupPage.Request(csrf(ctx), email, error)));
  }

  /** What the choose form says about the last attempt; see {@link SignupPage.Choose}. */
  private record Problems(
      String usernameError,
      String password,
      List<String> passwordErrors,
      String againError,
      String problem) {
    static final Problems NONE = new Problems("", "", List.of(), "", "");
  }

  private void choosePage(
      Context ctx, int status, String token, String email, String username, Problems problems) {
    ctx.status(status)
        .html(
            pages.render(
                new SignupPage.Choose(
                    csrf(ctx),
                    "/signup/" + token,
                    email,
                    username,
                    signup.usernameRule(),
                    problems.usernameError(),
                    problems.password(),
                    problems.passwordErrors(),
                    problems.againError(),
                    problems.problem())));
  }

  private static String csrf(Context ctx) {
    return RequestAttributes.csrfToken(ctx);
  }
}
