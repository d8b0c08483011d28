package ie.skynet.accounts.app;

import static ie.skynet.accounts.app.OneMemberDev.EMAIL;
import static ie.skynet.accounts.app.OneMemberDev.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.TestClock;
import ie.skynet.accounts.web.Browser;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every form on every page carries the CSRF token, and every place a form posts to refuses a post
 * without it, even from a logged-in browser. The forms are found on the pages themselves, so a new
 * form is checked without anyone adding it here.
 */
class EveryFormIT {
  private static final Pattern FORM =
      Pattern.compile(
          "<form method=\"post\" action=\"([^\"]+)\"[^>]*>(.*?)</form>", Pattern.DOTALL);

  @TempDir Path data;

  @Test
  void everyFormHasItsTokenAndEveryActionRefusesAPostWithoutIt() throws Exception {
    try (OneMemberDev dev =
        OneMemberDev.start(data, new TestClock(Instant.parse("2026-11-26T12:00:00Z")))) {
      // A key, so the page shows its remove form too.
      dev.running
          .directory()
          .addSshPublicKey(
              "aoife",
              "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHAcL5enktUKlYRpDnSToazMe4ec7CA5CgbCUIxHs0IR");
      Browser browser = dev.loggedIn("aoife", PASSWORD);
      Map<String, String> pages = new LinkedHashMap<>(); // page -> its HTML
      for (String path :
          new String[] {
            "/",
            "/signup",
            "/login",
            "/account",
            "/recover/username",
            "/recover/password",
            "/recover/ssh"
          }) {
        pages.put(path, browser.get(path).body());
      }
      browser.get("/signup");
      pages.put("signup sent", browser.post("/signup", "email", "sean.obriain@example.com").body());
      String signupLink =
          OneMemberDev.linkIn(
              dev.awaitMail(
                  "sean.obriain@example.com", "Choose your Skynet username and password"));
      pages.put("signup link", browser.get(signupLink).body());
      browser.get("/recover/ssh");
      pages.put(
          "ssh challenge", browser.post("/recover/ssh", "user", "aoife", "email", EMAIL).body());
      browser.get("/recover/password");
      browser.post("/recover/password", "user", "aoife");
      pages.put(
          "reset link",
          browser
              .get(OneMemberDev.linkIn(dev.awaitMail(EMAIL, "Choose a new Skynet password")))
              .body());
      browser.get("/account");
      browser.post("/account/email", "new-email", "aoife@new.example.net", "password", PASSWORD);
      pages.put(
          "address link",
          browser
              .get(
                  OneMemberDev.linkIn(
                      dev.awaitMail(
                          "aoife@new.example.net", "Confirm your new Skynet contact address")))
              .body());

      Map<String, String> actions = new LinkedHashMap<>(); // action -> the page it was found on
      for (Map.Entry<String, String> page : pages.entrySet()) {
        Matcher form = FORM.matcher(page.getValue());
        while (form.find()) {
          assertThat(form.group(2))
              .as("the form to %s on %s carries the token", form.group(1), page.getKey())
              .contains("name=\"csrf\" value=\"");
          actions.putIfAbsent(form.group(1), page.getKey());
        }
      }
      assertThat(actions.keySet())
          .as("forms found on the pages")
          .contains(
              "/signup",
              "/login",
              "/logout",
              "/account/password",
              "/account/email",
              "/account/ssh-keys",
              "/account/ssh-keys/remove",
              "/recover/username",
              "/recover/password",
              "/recover/ssh",
              "/recover/ssh/verify")
          .anyMatch(a -> a.startsWith("/signup/"))
          .anyMatch(a -> a.startsWith("/recover/password/"))
          .anyMatch(a -> a.startsWith("/account/email/"));
      for (Map.Entry<String, String> action : actions.entrySet()) {
        HttpResponse<String> refused =
            browser.postExactly(action.getKey(), Map.of("user", "aoife", "password", PASSWORD));
        assertThat(refused.statusCode())
            .as("a post to %s (a form on %s) without the token", action.getKey(), action.getValue())
            .isEqualTo(403);
      }
      // Nothing those posts could have done was done.
      assertThat(browser.get("/account").statusCode()).isEqualTo(200);
      assertThat(dev.canBind("aoife", PASSWORD)).isTrue();
    }
  }
}
