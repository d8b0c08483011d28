package ie.skynet.accounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.TestClock;
import ie.skynet.accounts.cli.DevOptions;
import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.dev.DevDirectory;
import ie.skynet.accounts.dev.DevMail;
import ie.skynet.accounts.event.EventMode;
import ie.skynet.accounts.web.Browser;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lecture hall at a signup event, over real HTTP against the dev stack (SQLite file, in-memory
 * LDAP, GreenMail, the outbox worker on its schedule): hundreds of students behind one address.
 * With event mode on every member gets their mail; with it off the hall meets the per-network
 * limit, and the page says the network is busy, never that the student asked.
 */
class EventModeIT {
  private static final String ADMIN = "committee";
  private static final String ADMIN_PASSWORD = "slate heron copper lantern";
  private static final String VERIFY = "Choose your Skynet username and password";
  private static final int HALL = 400;

  @TempDir Path data;

  /** The members' expiry (2027-08-31) is after this day, whatever the real date is. */
  private final TestClock clock = new TestClock(Instant.parse("2026-11-26T12:00:00Z"));

  private @Nullable Running running;
  private String base = "";
  private String configuredBase = "";

  @AfterEach
  void stop() {
    if (running != null) {
      running.close();
    }
  }

  private static String student(int i) {
    return String.format("student%03d@example.com", i);
  }

  /** Dev with {@code HALL} current members and an admin, on the default limits. */
  private Running start() throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add("Member ID,Student Number,First Name,Last Name,Contact Email,Expiry");
    for (int i = 1; i <= HALL; i++) {
      lines.add(String.format("W5%05d,2550%04d,Student%d,Hall,%s,2027-08-31", i, i, i, student(i)));
    }
    Path members = Files.write(data.resolve("members.csv"), lines);
    App app =
        App.dev(
            new DevOptions(0, 0, 0, data.resolve("dev"), members),
            Map.of("ACCOUNTS_LIFECYCLE_ADMINS", ADMIN),
            clock);
    app.database().migrate();
    app.serving().loadDevMembers();
    Running started = app.start();
    running = started;
    base = "http://127.0.0.1:" + started.port();
    configuredBase = "http://localhost:" + started.port();
    started
        .dev()
        .directory
        .add(
            "dn: uid=" + ADMIN + "," + DevDirectory.USERS,
            "objectClass: inetOrgPerson",
            "uid: " + ADMIN,
            "cn: " + ADMIN,
            "sn: " + ADMIN,
            "userPassword: " + ADMIN_PASSWORD);
    return started;
  }

  private Browser admin() {
    Browser browser = new Browser(base);
    browser.get("/login");
    assertThat(browser.post("/login", "username", ADMIN, "password", ADMIN_PASSWORD).statusCode())
        .isEqualTo(303);
    return browser;
  }

  private Database database() {
    return new Database(TestDatabases.in(data.resolve("dev")));
  }

  /** Each student on their own phone (own cookies), all from the hall's one address. */
  private static List<HttpResponse<String>> signUp(String base, List<String> addresses)
      throws Exception {
    ExecutorService phones = Executors.newFixedThreadPool(8);
    try {
      List<Future<HttpResponse<String>>> asked = new ArrayList<>();
      for (String address : addresses) {
        asked.add(
            phones.submit(
                () -> {
                  Browser phone = new Browser(base);
                  phone.get("/signup");
                  return phone.post("/signup", "email", address);
                }));
      }
      List<HttpResponse<String>> answers = new ArrayList<>();
      for (Future<HttpResponse<String>> answer : asked) {
        answers.add(answer.get());
      }
      return answers;
    } finally {
      phones.shutdownNow();
    }
  }

  /** The recipients of every caught mail with this subject, once there are {@code count}. */
  private Set<String> awaitRecipients(String subject, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    Set<String> to = Set.of();
    while (System.nanoTime() < deadline) {
      to =
          Objects.requireNonNull(running).dev().mailbox.mails().stream()
              .filter(m -> m.subject().equals(subject))
              .map(DevMail::to)
              .collect(Collectors.toCollection(TreeSet::new));
      if (to.size() >= count) {
        return to;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "waited for " + count + " mails '" + subject + "', " + to.size() + " arrived");
  }

  private List<String> audit(String action) {
    return TestDatabases.rows(
        database(),
        "SELECT actor || ' ' || outcome || ' ' || detail FROM audit_log WHERE action = '"
            + action
            + "' ORDER BY id");
  }

  @Test
  void withEventModeOnAHallOf400OnOneAddressEachGetTheirMailAndTheProjectorCountsThem()
      throws Exception {
    start();
    Browser admin = admin();
    assertThat(admin.get("/admin").body()).contains("<dt>Event mode</dt>").contains(">off</a>");
    assertThat(admin.get("/admin/event").body()).contains("Event mode is <strong>off</strong>");
    HttpResponse<String> on = admin.post("/admin/event/on", "hours", "2");
    assertThat(on.statusCode()).isEqualTo(200);
    assertThat(on.body()).contains("Event mode is on until 2026-11-26 14:00:00 UTC");
    assertThat(admin.get("/admin").body()).contains("on until 2026-11-26 14:00:00 UTC");
    assertThat(audit("event-mode-on"))
        .containsExactly(ADMIN + " done for 2 hours, until 2026-11-26T14:00:00Z");
    // Kept in the database: a restart, or another instance, sees the same event.
    assertThat(
            new EventMode(database(), new AuditLog(clock), new SecureRandom(), clock)
                .current()
                .map(EventMode.Event::ends))
        .contains(Instant.parse("2026-11-26T14:00:00Z"));

    List<String> hall = IntStream.rangeClosed(1, HALL).mapToObj(EventModeIT::student).toList();
    List<HttpResponse<String>> answers = signUp(base, hall);
    for (int i = 0; i < HALL; i++) {
      assertThat(answers.get(i).statusCode()).as(hall.get(i)).isEqualTo(200);
      assertThat(answers.get(i).body()).as(hall.get(i)).contains("We have sent a mail to");
    }
    assertThat(awaitRecipients(VERIFY, HALL)).containsExactlyInAnyOrderElementsOf(hall);

    // One of them makes their account: the projector counts it, and names nobody.
    String link =
        Objects.requireNonNull(running).dev().mailbox.mails().stream()
            .filter(m -> m.to().equals(student(7)) && m.subject().equals(VERIFY))
            .findFirst()
            .orElseThrow()
            .links()
            .get(0)
            .replace(configuredBase, base);
    Browser seven = new Browser(base);
    seven.get(link);
    String password = "correct horse battery staple lime";
    assertThat(
            seven
                .submit(link, "username", "seven", "password", password, "password-again", password)
                .body())
        .contains("Your account is ready");
    awaitRecipients("Welcome to Skynet", 1);

    String projector = admin.get("/event").body();
    assertThat(projector)
        .doesNotContain("http-equiv=\"refresh\"") // an admin reading it is not moved about
        .contains("<svg viewBox=")
        .contains(configuredBase.replaceFirst("^http://", "") + "/signup")
        .contains("<dt>Mails sent</dt><dd>" + (HALL + 1) + "</dd>")
        .contains("<dt>Accounts made</dt><dd>1</dd>")
        .contains("<dt>Mails waiting</dt><dd>0</dd>")
        .contains("<dt>Mails failed</dt><dd>0</dd>")
        .contains("Members last imported: 0 seconds ago")
        .contains("Event mode on until 14:00 UTC")
        .doesNotContain("@example.com")
        .doesNotContain("seven")
        .doesNotContain("Student7");

    // The projector link: for a machine nobody is logged in on, while the event lasts.
    assertThat(new Browser(base).get("/event").statusCode()).isEqualTo(303);
    HttpResponse<String> made = admin.post("/admin/event/projector-link");
    Matcher shown =
        Pattern.compile("<code>(" + Pattern.quote(configuredBase) + "/event/[^<]+)</code>")
            .matcher(made.body());
    assertThat(shown.find()).as(made.body()).isTrue();
    String projectorLink = shown.group(1).replace(configuredBase, base);
    assertThat(TestDatabases.rows(database(), "SELECT projector_sha256 FROM event_mode"))
        .singleElement()
        .isNotEqualTo(projectorLink.substring(projectorLink.lastIndexOf('/') + 1));
    HttpResponse<String> onTheWall = new Browser(base).get(projectorLink);
    assertThat(onTheWall.statusCode()).isEqualTo(200);
    assertThat(onTheWall.body())
        .contains("<h1>Sign up for Skynet</h1>")
        .contains("<meta http-equiv=\"refresh\" content=\"30\">")
        .contains("<dd>" + (HALL + 1) + "</dd>");
    assertThat(new Browser(base).get(projectorLink + "x").statusCode()).isEqualTo(404);

    // The event ends by itself at its stated time, and its link with it.
    clock.advance(Duration.ofHours(2));
    assertThat(new Browser(base).get(projectorLink).statusCode()).isEqualTo(404);
    Browser later = admin(); // the session of two hours ago has ended too
    assertThat(later.get("/admin").body()).contains(">off</a>");
    assertThat(later.get("/event").body()).contains("Event mode is off.");
  }

  @Test
  void withEventModeOffThe101stOfAHallIsToldTheNetworkIsBusyThenTheAdminSwitchesItOn()
      throws Exception {
    start();
    List<String> first = IntStream.rangeClosed(1, 100).mapToObj(EventModeIT::student).toList();
    for (HttpResponse<String> answer : signUp(base, first)) {
      assertThat(answer.statusCode()).isEqualTo(200);
    }
    assertThat(awaitRecipients(VERIFY, 100)).containsExactlyInAnyOrderElementsOf(first);

    Browser late = new Browser(base);
    late.get("/signup");
    HttpResponse<String> busy = late.post("/signup", "email", student(101));
    assertThat(busy.statusCode()).isEqualTo(429);
    assertThat(busy.headers().firstValue("Retry-After")).isPresent();
    assertThat(busy.body())
        .contains("<h1>Your network is busy</h1>")
        .contains("Nothing was sent to " + student(101) + " yet")
        .contains("This is not about you or your address")
        .doesNotContain("You asked")
        .doesNotContain("a moment ago");
    assertThat(busy.body()).containsPattern("ask\\s+again in \\d+ (second|seconds)\\.");

    Browser admin = admin();
    admin.get("/admin/event");
    assertThat(admin.post("/admin/event/on", "hours", "1").body())
        .contains("Event mode is on until 2026-11-26 13:00:00 UTC");
    late.get("/signup");
    HttpResponse<String> again = late.post("/signup", "email", student(101));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).contains("We have sent a mail to");
    awaitRecipients(VERIFY, 101);

    admin.get("/admin/event");
    assertThat(admin.post("/admin/event/off").body())
        .contains("Event mode is off: the usual limit per network applies again");
    assertThat(admin.post("/admin/event/off").body()).contains("Event mode was not on.");
    assertThat(audit("event-mode-on"))
        .containsExactly(ADMIN + " done for 1 hour, until 2026-11-26T13:00:00Z");
    assertThat(audit("event-mode-off"))
        .containsExactly(
            ADMIN + " done it was on until 2026-11-26T13:00:00Z", ADMIN + " refused it was not on");
    // Off again: the hall's usual share is still spent, and the page still says so honestly.
    late.get("/signup");
    assertThat(late.post("/signup", "email", student(102)).body()).contains("Your network is busy");
  }

  @Test
  void theSwitchRefusesALengthNotOfferedAndAProjectorLinkWithoutAnEvent() throws Exception {
    start();
    Browser admin = admin();
    admin.get("/admin/event");
    HttpResponse<String> forever = admin.post("/admin/event/on", "hours", "9999");
    assertThat(forever.statusCode()).isEqualTo(422);
    assertThat(forever.body()).contains("Nothing changed.");
    assertThat(admin.post("/admin/event/projector-link").statusCode()).isEqualTo(422);
    assertThat(TestDatabases.rows(database(), "SELECT * FROM event_mode")).isEmpty();
    // Forms carry the CSRF token like every other: without it, nothing is switched.
    assertThat(admin.postExactly("/admin/event/on", Map.of("hours", "2")).statusCode())
        .isEqualTo(403);
    assertThat(TestDatabases.rows(database(), "SELECT * FROM event_mode")).isEmpty();
  }
}
