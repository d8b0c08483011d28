package ie.skynet.accounts.app;

import static ie.skynet.accounts.app.OneMemberDev.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Entry;
import ie.skynet.accounts.TestClock;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.dev.DevDirectory;
import ie.skynet.accounts.membership.CsvColumns;
import ie.skynet.accounts.membership.ImportOptions;
import ie.skynet.accounts.membership.ImportSettings;
import ie.skynet.accounts.membership.MembershipImporter;
import ie.skynet.accounts.web.Browser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin pages over real HTTP against the dev stack: only admins see them, every change is
 * audited, disabling an account takes its access at once, and the export is safe to open in a
 * spreadsheet.
 */
class AdminPagesIT {
  private static final String ADMIN_PASSWORD = "slate heron copper lantern";
  private static final List<String> PAGES =
      List.of(
          "/admin",
          "/admin/members",
          "/admin/members.csv",
          "/admin/accounts",
          "/admin/imports",
          "/admin/mail",
          "/admin/audit");

  @TempDir Path data;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-26T12:00:00Z"));
  private OneMemberDev dev;

  @BeforeEach
  void start() throws Exception {
    dev = OneMemberDev.start(data, clock, Map.of("ACCOUNTS_LIFECYCLE_ADMINS", "committee"));
    dev.running
        .dev()
        .directory
        .add(
            "dn: uid=committee," + DevDirectory.USERS,
            "objectClass: inetOrgPerson",
            "uid: committee",
            "cn: committee",
            "sn: committee",
            "userPassword: " + ADMIN_PASSWORD);
  }

  @AfterEach
  void stop() {
    dev.close();
  }

  private Browser admin() {
    return dev.loggedIn("committee", ADMIN_PASSWORD);
  }

  /** The committee's entry, as if the service had made it: then its status decides. */
  private void committeeAccountMadeByTheService() {
    TestDatabases.execute(
        dev.database(),
        "INSERT INTO accounts_wolves VALUES ('W300009', NULL, 'chair@example.com', '2027-08-31',"
            + " 'Chair', 'Person')",
        "INSERT INTO accounts (username, id_wolves, email, created_at, status) VALUES"
            + " ('committee', 'W300009', 'chair@example.com', '2026-01-01T00:00:00Z', 'active')");
  }

  private List<String> audit(String action) {
    return TestDatabases.rows(
        dev.database(),
        "SELECT actor || ' ' || action || ' ' || target || ' ' || outcome || ' ' || detail"
            + " FROM audit_log WHERE action = '"
            + action
            + "' ORDER BY id");
  }

  private Entry aoife() throws Exception {
    return dev.running.dev().directory.getEntry("uid=aoife," + DevDirectory.USERS);
  }

  private boolean aoifeInMembersGroup() throws Exception {
    Entry group = dev.running.dev().directory.getEntry(DevDirectory.MEMBERS);
    return group.hasAttributeValue("memberUid", "aoife");
  }

  @Test
  void aMemberWhoIsNotAnAdminIsRefusedEveryPageAndActionAndTheRefusalIsAudited() {
    Browser member = dev.loggedIn("aoife", PASSWORD);
    for (String page : PAGES) {
      HttpResponse<String> answer = member.get(page);
      assertThat(answer.statusCode()).as(page).isEqualTo(403);
      assertThat(answer.body()).as(page).contains("Admins only").doesNotContain("aoife.murphy@");
    }
    member.get("/account");
    HttpResponse<String> disable =
        member.post("/admin/accounts/aoife/disable", "reason", "trying my luck");
    assertThat(disable.statusCode()).isEqualTo(403);
    assertThat(TestDatabases.rows(dev.database(), "SELECT status FROM accounts"))
        .containsExactly("active");
    assertThat(audit("admin-refused"))
        .hasSize(PAGES.size() + 1)
        .contains("aoife admin-refused aoife refused POST /admin/accounts/aoife/disable");
    assertThat(member.get("/account").body()).doesNotContain("href=\"/admin\"");
  }

  @Test
  void nobodyLoggedInIsSentToLogIn() {
    for (String page : PAGES) {
      HttpResponse<String> answer = dev.browser().get(page);
      assertThat(answer.statusCode()).as(page).isEqualTo(303);
      assertThat(answer.headers().firstValue("Location")).as(page).hasValue("/login");
    }
  }

  @Test
  void theDashboardShowsMembersAccountsImportMailAndTheAuditTrail() {
    Browser admin = admin();
    assertThat(admin.get("/account").body()).contains("<a href=\"/admin\">Admin pages</a>");
    HttpResponse<String> dashboard = admin.get("/admin");
    assertThat(dashboard.statusCode()).isEqualTo(200);
    assertThat(dashboard.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(dashboard.body())
        .contains("Admin dashboard")
        .containsPattern("\\d+ current, \\d+ expired")
        .contains("1 active, 0 lapsed, 0 disabled")
        .contains("rows read")
        .contains("account-created")
        .contains("login");
  }

  @Test
  void disablingTakesAccessAtOnceWithAReasonAndEnablingGivesItBack() throws Exception {
    Browser member = dev.loggedIn("aoife", PASSWORD);
    assertThat(aoifeInMembersGroup()).isTrue();
    Browser admin = admin();
    admin.get("/admin/accounts?q=aoife");

    HttpResponse<String> noReason = admin.post("/admin/accounts/aoife/disable", "reason", "  ");
    assertThat(noReason.statusCode()).isEqualTo(422);
    assertThat(noReason.body()).contains("Give a reason");
    assertThat(aoifeInMembersGroup()).isTrue();

    HttpResponse<String> disabled =
        admin.post(
            "/admin/accounts/aoife/disable", "reason", "shared the password\r\nwith a friend");
    assertThat(disabled.statusCode()).isEqualTo(200);
    assertThat(disabled.body()).contains("aoife is disabled").contains(">disabled<");
    assertThat(aoifeInMembersGroup()).isFalse();
    assertThat(aoife().getAttributeValue("loginShell")).isEqualTo("/usr/sbin/nologin");
    assertThat(member.get("/account").statusCode()).isEqualTo(303); // the session ends
    assertThat(audit("account-disabled"))
        .containsExactly(
            "committee account-disabled aoife done shared the password\\r\\nwith a friend");

    HttpResponse<String> again = admin.post("/admin/accounts/aoife/disable", "reason", "again");
    assertThat(again.statusCode()).isEqualTo(422);
    assertThat(again.body()).contains("disabled already");

    HttpResponse<String> enabled =
        admin.post("/admin/accounts/aoife/enable", "reason", "talked it through");
    assertThat(enabled.body()).contains("aoife is enabled again").contains("has its access back");
    assertThat(aoifeInMembersGroup()).isTrue();
    assertThat(aoife().getAttributeValue("loginShell")).isEqualTo("/bin/bash");
    assertThat(TestDatabases.rows(dev.database(), "SELECT status FROM accounts"))
        .containsExactly("active");
    assertThat(audit("account-enabled"))
        .containsExactly("committee account-enabled aoife done talked it through");
    dev.loggedIn("aoife", PASSWORD);
  }

  @Test
  void anAdminWhoseAccountTheServiceMadeIsNoLongerAnAdminOnceDisabled() {
    committeeAccountMadeByTheService();
    Browser admin = admin();
    assertThat(admin.get("/admin").statusCode()).isEqualTo(200);
    TestDatabases.execute(
        dev.database(), "UPDATE accounts SET status = 'disabled' WHERE username = 'committee'");
    assertThat(admin.get("/admin").statusCode()).isEqualTo(303);
    assertThat(dev.browser().post("/login", "username", "committee", "password", ADMIN_PASSWORD))
        .satisfies(r -> assertThat(r.statusCode()).isIn(401, 403));
  }

  @Test
  void anAdminCannotDisableTheirOwnAccount() {
    committeeAccountMadeByTheService();
    Browser admin = admin();
    admin.get("/admin/accounts");
    HttpResponse<String> self = admin.post("/admin/accounts/committee/disable", "reason", "oops");
    assertThat(self.statusCode()).isEqualTo(422);
    assertThat(self.body()).contains("cannot disable your own account");
    assertThat(
            TestDatabases.rows(
                dev.database(), "SELECT status FROM accounts WHERE username = 'committee'"))
        .containsExactly("active");
  }

  @Test
  void anAccountWhoseMembershipIsNoLongerImportedCanStillBeFoundAndDisabled() {
    TestDatabases.execute(
        dev.database(), "DELETE FROM accounts_wolves WHERE id_wolves = 'W200001'");
    Browser admin = admin();
    assertThat(admin.get("/admin/accounts?q=aoife").body())
        .contains("<td>aoife</td>")
        .contains("(no longer imported)");
    admin.post("/admin/accounts/aoife/disable", "reason", "left the society");
    assertThat(TestDatabases.rows(dev.database(), "SELECT status FROM accounts"))
        .containsExactly("disabled");
  }

  @Test
  void theExportEscapesWhatASpreadsheetWouldRunAndIsAudited() {
    TestDatabases.execute(
        dev.database(),
        "INSERT INTO accounts_wolves (id_wolves, id_student, email, expiry, name_first,"
            + " name_second) VALUES ('W300001', '+353861234567', 'evil@example.com',"
            + " '2027-08-31', '=HYPERLINK(\"http://evil.example\",\"x\")', 'Smith, \"Jr\"')");
    HttpResponse<String> csv = admin().get("/admin/members.csv");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/csv"));
    assertThat(csv.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"members-2026-11-26.csv\"");
    List<String> lines = csv.body().lines().toList();
    assertThat(lines.get(0))
        .isEqualTo("Wolves ID,Student Number,Name,Email,Expiry,Username,Status");
    assertThat(lines)
        .contains(
            "W300001,'+353861234567,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\") Smith,"
                + " \"\"Jr\"\"\",evil@example.com,2027-08-31,,")
        .anyMatch(line -> line.startsWith("W200001,") && line.endsWith(",aoife,active"));
    assertThat(csv.body()).contains("\r\n");
    assertThat(audit("members-exported"))
        .containsExactly("committee members-exported - done every member as CSV");
  }

  @Test
  void aFailedMailIsSentAgainFromTheMailPage() throws Exception {
    TestDatabases.execute(
        dev.database(),
        "UPDATE mail_outbox SET status = 'failed', last_error = '550 mailbox full'"
            + " WHERE id = (SELECT min(id) FROM mail_outbox)");
    Browser admin = admin();
    HttpResponse<String> failed = admin.get("/admin/mail?status=failed");
    assertThat(failed.body()).contains("550 mailbox full").contains("1 failed");
    String id = TestDatabases.rows(dev.database(), "SELECT min(id) FROM mail_outbox").get(0);
    HttpResponse<String> resent = admin.post("/admin/mail/" + id + "/resend");
    assertThat(resent.body()).contains("1 mail is queued to be sent again");
    assertThat(
            TestDatabases.rows(dev.database(), "SELECT status FROM mail_outbox WHERE id = " + id))
        .containsExactly("pending");
    assertThat(audit("mail-resent"))
        .containsExactly("committee mail-resent - done mail " + id + " queued again");
    HttpResponse<String> none = admin.post("/admin/mail/" + id + "/resend");
    assertThat(none.body()).contains("Nothing to send again");
  }

  @Test
  void theAuditLogFiltersByActorActionAndTarget() {
    Browser admin = admin();
    String logins = admin.get("/admin/audit?action=login").body();
    assertThat(logins).contains("<td>login</td>").doesNotContain("<td>account-created</td>");
    String created = admin.get("/admin/audit?action=account-created&target=aoife").body();
    assertThat(created).contains("<td>account-created</td>").doesNotContain("<td>login</td>");
    assertThat(admin.get("/admin/audit?target=nobody").body()).contains("No entries.");
  }

  @Test
  void anImportsRejectsAreListedWithLineColumnAndField() throws Exception {
    Path bad = data.resolve("bad.csv");
    java.nio.file.Files.writeString(
        bad,
        "Member ID,Student Number,First Name,Last Name,Contact Email,Expiry\n"
            + "W200001,24100001,Aoife,Murphy,aoife.murphy@example.com,2027-08-31\n"
            + "W200002,24100002,Sean,Briain,not-an-address,2027-08-31\n");
    new MembershipImporter(
            dev.database(),
            new ImportSettings(CsvColumns.WOLVES_DEFAULTS, null, 0.10),
            clock,
            new SimpleMeterRegistry())
        .importCsv(bad, new ImportOptions(false, false, null));
    Browser admin = admin();
    String history = admin.get("/admin/imports").body();
    assertThat(history).contains("bad.csv").contains("rejected");
    String id = TestDatabases.rows(dev.database(), "SELECT max(id) FROM import_runs").get(0);
    String run = admin.get("/admin/imports/" + id).body();
    assertThat(run).contains("<td class=\"number\">3</td>").contains("Contact Email");
    assertThat(admin.get("/admin/imports/99999").statusCode()).isEqualTo(404);
  }
}
