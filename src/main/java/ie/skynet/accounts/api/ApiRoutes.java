package ie.skynet.accounts.api;

import ie.skynet.accounts.account.AccountService;
import ie.skynet.accounts.account.EmailChanges;
import ie.skynet.accounts.account.RecoveryService;
import ie.skynet.accounts.account.SshKeyChanges;
import ie.skynet.accounts.account.SshRecovery;
import ie.skynet.accounts.directory.Profile;
import ie.skynet.accounts.http.RequestAttributes;
import ie.skynet.accounts.links.LinkCheck;
import ie.skynet.accounts.policy.EmailShape;
import ie.skynet.accounts.policy.RequestLimits;
import ie.skynet.accounts.signup.Completion;
import ie.skynet.accounts.signup.SignupService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The routes of the previous backend. Each reads a JSON object and answers {@code
 * {"result":"success", ...}}, or {@code {"result":"error","error":"<reason>"}} with a 4xx status
 * that says which kind of failure it was. Requests that could tell whether an account or address
 * exists answer the same either way, as the pages do.
 */
public record ApiRoutes(
    SignupService signup,
    AccountService accounts,
    EmailChanges emailChanges,
    SshKeyChanges keys,
    RecoveryService recovery,
    SshRecovery sshRecovery) {
  private static final String REFUSED = "invalid username or password";
  private static final java.util.List<String> FIELDS =
      java.util.List.of("userPassword", "mail", "sshPublicKey", "cn", "sn", "skDiscord");

  /** One route's work: from the request to the fields of its success reply. */
  @FunctionalInterface
  private interface Call {
    Map<String, Object> answer(ApiRequest request, String client);
  }

  public void addTo(RoutesConfig routes) {
    routes.post("/ldap/new/email", ctx -> reply(ctx, this::newEmail));
    routes.post("/ldap/new/account", ctx -> reply(ctx, this::newAccount));
    routes.post("/ldap/update", ctx -> reply(ctx, this::update));
    routes.post("/ldap/recover/password", ctx -> reply(ctx, this::recoverPassword));
    routes.post("/ldap/recover/password/auth", ctx -> reply(ctx, this::resetPassword));
    routes.post("/ldap/recover/username", ctx -> reply(ctx, this::recoverUsername));
    routes.post("/ldap/recover/ssh/request", ctx -> reply(ctx, this::sshChallenge));
    routes.post("/ldap/recover/ssh/verify", ctx -> reply(ctx, this::sshVerify));
  }

  private static void reply(Context ctx, Call call) {
    String client = RequestAttributes.clientAddress(ctx);
    Map<String, Object> body = new LinkedHashMap<>();
    try {
      Map<String, Object> fields = call.answer(ApiRequest.parse(ctx.body()), client);
      body.put("result", "success");
      body.putAll(fields);
      ctx.status(200);
    } catch (ApiFailure failure) {
      body.put("result", "error");
      body.put("error", failure.reason());
      if (failure.retryAfter() != null) {
        ctx.header("Retry-After", Long.toString(failure.retryAfter().toSeconds()));
      }
      ctx.status(failure.status());
    }
    ctx.contentType("application/json; charset=utf-8").result(ApiRequest.write(body));
  }

  private static String email(ApiRequest request, String field) {
    String email = request.required(field).strip();
    if (!EmailShape.fits(email)) {
      throw ApiFailure.invalid(
          "\"" + field + "\" must be an email address, such as name@example.com");
    }
    return email;
  }

  private static Map<String, Object> asked(RequestLimits.Verdict verdict) {
    return switch (verdict) {
      case RequestLimits.Verdict.Allowed allowed -> Map.of();
      case RequestLimits.Verdict.NetworkBusy busy ->
          throw ApiFailure.tooMany(
              "too many requests came from this network (one address for many people); nothing"
                  + " was sent",
              busy.after());
      case RequestLimits.Verdict.AskedRecently recently ->
          throw ApiFailure.tooMany("a mail went to this address a moment ago", recently.after());
    };
  }

  /** Signup, first step: the same answer for every address; the mail says what applies. */
  private Map<String, Object> newEmail(ApiRequest request, String client) {
    return asked(signup.request(email(request, "email"), client));
  }

  private Map<String, Object> newAccount(ApiRequest request, String client) {
    String auth = request.required("auth");
    String user = request.required("user");
    String pass = request.required("pass");
    return switch (signup.complete(auth, user, pass, client)) {
      case Completion.Created created -> Map.of("user", created.username());
      case Completion.LinkRefused refused ->
          throw linkRefused(refused.check(), "ask for a new link");
      case Completion.UsernameRefused refused -> throw ApiFailure.invalid(refused.reason());
      case Completion.PasswordRefused refused ->
          throw ApiFailure.invalid(String.join(" ", refused.reasons()));
      case Completion.MembershipChanged changed ->
          throw ApiFailure.of(
              409, "the membership lapsed, or moved to another address, since the link was sent");
      case Completion.MembershipHasAccount has ->
          throw ApiFailure.of(
              409, "this membership already has an account: " + has.username() + "; log in");
    };
  }

  /**
   * @param whenExpired what to do about an expired link of this kind
   */
  private static ApiFailure linkRefused(LinkCheck check, String whenExpired) {
    return switch (check) {
      case LinkCheck.Expired expired -> ApiFailure.of(410, "\"auth\" has expired; " + whenExpired);
      case LinkCheck.Used used -> ApiFailure.of(410, "\"auth\" has been used already");
      default -> ApiFailure.of(404, "\"auth\" is not a link we know");
    };
  }

  private Map<String, Object> update(ApiRequest request, String client) {
    String user =
        AccountService.canonicalUsername(request.required("user"))
            .orElseThrow(() -> ApiFailure.of(401, REFUSED));
    String pass = request.required("pass");
    String field = request.required("field");
    String value = request.required("value");
    if (!FIELDS.contains(field)) {
      throw ApiFailure.invalid(
          "\"field\" must be one of " + String.join(", ", FIELDS) + "; not " + field);
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    if (field.equals("userPassword")) {
      switch (accounts.changePassword(null, user, pass, value, client)) {
        case AccountService.PasswordChange.Changed changed -> {}
        case AccountService.PasswordChange.WrongCurrent wrong -> throw ApiFailure.of(401, REFUSED);
        case AccountService.PasswordChange.Throttled throttled ->
            throw tooManyFailures(throttled.retryAfter());
        case AccountService.PasswordChange.Refused refused ->
            throw ApiFailure.invalid(String.join(" ", refused.reasons()));
      }
    } else {
      switch (accounts.confirmPassword(user, pass, client)) {
        case AccountService.Reauthentication.Confirmed confirmed -> {}
        case AccountService.Reauthentication.Wrong wrong -> throw ApiFailure.of(401, REFUSED);
        case AccountService.Reauthentication.Throttled throttled ->
            throw tooManyFailures(throttled.retryAfter());
      }
      switch (field) {
        case "mail" -> extra.putAll(changeMail(user, value, client));
        case "sshPublicKey" -> replaceKeys(user, value, client);
        case "cn" -> rename(user, AccountService.NamePart.FULL_NAME, value, client);
        case "sn" -> rename(user, AccountService.NamePart.SURNAME, value, client);
        case "skDiscord" -> linkDiscord(user, value, client);
        default ->
            throw ApiFailure.invalid(
                "\"field\" must be one of " + String.join(", ", FIELDS) + "; not " + field);
      }
    }
    Profile profile =
        accounts.profile(user).orElseThrow(() -> ApiFailure.of(401, REFUSED)); // deleted since
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("cn", profile.commonName());
    reply.put("mail", Objects.requireNonNullElse(profile.mail(), ""));
    reply.put("sshPublicKey", profile.sshPublicKeys());
    if (profile.discord() != null) {
      reply.put("skDiscord", profile.discord());
    }
    reply.putAll(extra);
    return reply;
  }

  private static ApiFailure tooManyFailures(Duration wait) {
    return ApiFailure.tooMany("too many wrong passwords from here", wait);
  }

  private Map<String, Object> changeMail(String user, String value, String client) {
    return switch (emailChanges.request(user, value, client)) {
      case EmailChanges.Request.Sent sent ->
          Map.of(
              "pending",
              "a link to confirm "
                  + sent.email()
                  + " was mailed there; \"mail\" changes when it is"
                  + " opened");
      case EmailChanges.Request.Unchanged unchanged -> Map.of();
      case EmailChanges.Request.Invalid invalid -> throw ApiFailure.invalid(invalid.reason());
      case EmailChanges.Request.TryLater later ->
          throw ApiFailure.tooMany("a link went to that address a moment ago", later.after());
    };
  }

  private void rename(String user, AccountService.NamePart part, String value, String client) {
    if (accounts.rename(user, part, value, client) instanceof AccountService.Rename.Invalid bad) {
      throw ApiFailure.invalid(bad.reason());
    }
  }

  private void linkDiscord(String user, String value, String client) {
    switch (accounts.setDiscord(user, value, client)) {
      case AccountService.DiscordChange.Done done -> {}
      case AccountService.DiscordChange.Invalid invalid ->
          throw ApiFailure.invalid(invalid.reason());
      case AccountService.DiscordChange.NotEnabled off ->
          throw ApiFailure.badRequest(
              "skDiscord is not enabled here: this directory holds no Discord accounts");
    }
  }

  private void replaceKeys(String user, String value, String client) {
    if (keys.replaceAll(user, value, client) instanceof SshKeyChanges.Replacement.Rejected bad) {
      throw ApiFailure.invalid(bad.reason());
    }
  }

  /** A text to sign: the same answer whether or not the account exists or the address matches. */
  private Map<String, Object> sshChallenge(ApiRequest request, String client) {
    String user = request.required("user");
    String email = request.required("email");
    return switch (sshRecovery.challenge(user, email, client)) {
      case SshRecovery.ChallengeRequest.Issued issued -> {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("auth", issued.challenge());
        // Always empty: listing the keys would tell anyone whether username and address match.
        reply.put("keys", List.of());
        yield reply;
      }
      case SshRecovery.ChallengeRequest.TryLater later ->
          throw ApiFailure.tooMany("a text was asked for this account a moment ago", later.after());
    };
  }

  /** A good signature gives the {@code auth} of a reset link, for /ldap/recover/password/auth. */
  private Map<String, Object> sshVerify(ApiRequest request, String client) {
    String user = request.required("user");
    String signed = request.required("auth_signed");
    return switch (sshRecovery.verify(user, signed, client)) {
      case SshRecovery.Verification.Verified verified -> {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("user", verified.username());
        reply.put("auth", verified.resetToken());
        yield reply;
      }
      case SshRecovery.Verification.Refused refused -> throw ApiFailure.of(401, refused.reason());
      case SshRecovery.Verification.Throttled throttled ->
          throw ApiFailure.tooMany(
              "too many signatures that did not check out", throttled.retryAfter());
    };
  }

  /** By username or by address; the same answer whether or not either has an account. */
  private Map<String, Object> recoverPassword(ApiRequest request, String client) {
    String asked = request.either("user", "email").strip();
    if (asked.isEmpty() || EmailShape.tooLong(asked)) {
      throw ApiFailure.invalid("give a username or an email address");
    }
    return asked(recovery.requestPasswordReset(asked, client));
  }

  private Map<String, Object> resetPassword(ApiRequest request, String client) {
    String auth = request.required("auth");
    String pass = request.required("pass");
    return switch (recovery.reset(auth, pass, client)) {
      case RecoveryService.Reset.Done done -> Map.of("user", done.username());
      case RecoveryService.Reset.PasswordRefused refused ->
          throw ApiFailure.invalid(String.join(" ", refused.reasons()));
      case RecoveryService.Reset.LinkRefused refused ->
          throw linkRefused(refused.link(), "reset links work for an hour");
    };
  }

  private Map<String, Object> recoverUsername(ApiRequest request, String client) {
    return asked(recovery.requestUsernames(email(request, "email"), client));
  }
}
