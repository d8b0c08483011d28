package ie.skynet.accounts.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import ie.skynet.accounts.TestClock;
import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.dev.DevDirectory;
import ie.skynet.accounts.directory.LdapDirectory;
import ie.skynet.accounts.directory.NewAccount;
import ie.skynet.accounts.directory.TestDirectories;
import ie.skynet.accounts.membership.LifecycleSettings;
import ie.skynet.accounts.membership.Memberships;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The members group, shells and statuses following membership, on real SQLite and LDAP. */
class GroupSyncIT {
  private static final String NOLOGIN = "/usr/sbin/nologin";
  private static final String BASH = "/bin/bash";
  private static final String CURRENT = "2027-08-31";
  private static final String LAPSED = "2026-08-31";

  @TempDir Path dir;
  private final TestClock clock = new TestClock(Instant.parse("2026-11-26T12:00:00Z"));
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private Database database;
  private InMemoryDirectoryServer ldap;
  private LdapDirectory directory;

  @BeforeEach
  void setUp() throws Exception {
    database = TestDatabases.migrated(dir);
    ldap = TestDirectories.start();
    directory = new LdapDirectory(TestDirectories.settings(ldap), metrics);
  }

  @AfterEach
  void tearDown() {
    directory.close();
    ldap.shutDown(true);
  }

  /** A member with an account made as signup makes it (so in the members group). */
  private void member(String username, String expiry) {
    String id = "W-" + username;
    TestDatabases.execute(
        database,
        "INSERT INTO accounts_wolves VALUES ('"
            + id
            + "', '1', '"
            + username
            + "@example.com', '"
            + expiry
            + "', 'A', 'B')",
        "INSERT INTO accounts (username, id_wolves, email, created_at, status) VALUES ('"
            + username
            + "', '"
            + id
            + "', '"
            + username
            + "@example.com', '2026-01-01T00:00:00Z', 'active')");
    directory.createAccount(
        new NewAccount(username, "A", "B", username + "@example.com", id), "long enough password");
  }

  private void renew(String username, String expiry) {
    TestDatabases.execute(
        database,
        "UPDATE accounts_wolves SET expiry = '"
            + expiry
            + "' WHERE id_wolves = 'W-"
            + username
            + "'");
  }

  private GroupSync sync(LifecycleSettings settings) {
    return new GroupSync(
        database,
        new Memberships(database),
        directory,
        new AuditLog(clock),
        settings,
        BASH,
        TestDirectories.settings(ldap).roleGroups(),
        clock);
  }

  private static LifecycleSettings rules(Set<String> lifetime, Set<String> banned, int grace) {
    return new LifecycleSettings(
        Set.of(), Set.of(), lifetime, banned, grace, NOLOGIN, 0.5, Duration.ofHours(8));
  }

  private GroupSync sync() {
    return sync(rules(Set.of(), Set.of(), 0));
  }

  private String status(String username) {
    return TestDatabases.rows(
            database, "SELECT status FROM accounts WHERE username = '" + username + "'")
        .get(0);
  }

  private long ldapModifies() {
    Timer timer = metrics.find("accounts.ldap.operations").tag("operation", "modify").timer();
    return timer == null ? 0 : timer.count();
  }

  @Test
  void aLapsedMemberLosesAccessAndARenewalGivesItBackThenASecondSyncChangesNothing() {
    member("aoife", CURRENT);
    member("brian", LAPSED);
    member("ciara", CURRENT);
    member("dara", CURRENT);

    long before = ldapModifies();
    GroupSync.Outcome lapse = sync().run(false, false);
    assertThat(lapse).isInstanceOf(GroupSync.Outcome.Applied.class);
    GroupSync.Plan plan = lapse.plan();
    assertThat(plan.leave()).containsExactly("brian");
    assertThat(plan.join()).isEmpty();
    assertThat(plan.shells()).containsExactly(new GroupSync.Change("brian", BASH, NOLOGIN));
    assertThat(plan.statuses()).containsExactly(new GroupSync.Change("brian", "active", "expired"));
    assertThat(ldapModifies() - before).isEqualTo(2); // one write per directory change
    assertThat(directory.membersGroup()).containsExactlyInAnyOrder("aoife", "ciara", "dara");
    assertThat(directory.loginShells())
        .containsEntry("brian", NOLOGIN)
        .containsEntry("aoife", BASH);
    assertThat(status("brian")).isEqualTo("expired");
    assertThat(new AuditLog(clock).about(database, "brian", 10))
        .extracting(r -> r.entry().action())
        .containsExactly("access-removed");

    renew("brian", "2027-09-30");
    GroupSync.Plan renewal = sync().run(false, false).plan();
    assertThat(renewal.join()).containsExactly("brian");
    assertThat(renewal.shells()).containsExactly(new GroupSync.Change("brian", NOLOGIN, BASH));
    assertThat(directory.membersGroup()).contains("brian");
    assertThat(directory.loginShells()).containsEntry("brian", BASH);
    assertThat(status("brian")).isEqualTo("active");

    long settled = ldapModifies();
    GroupSync.Outcome again = sync().run(false, false);
    assertThat(again.plan().changes()).isZero();
    assertThat(ldapModifies()).isEqualTo(settled);
  }

  @Test
  void aDryRunPrintsTheChangesAndMakesNone() {
    member("aoife", CURRENT);
    member("brian", LAPSED);
    long before = ldapModifies();
    GroupSync.Outcome dry = sync().run(true, false);
    assertThat(dry).isInstanceOf(GroupSync.Outcome.DryRun.class);
    assertThat(dry.plan().changes()).isEqualTo(3);
    assertThat(ldapModifies()).isEqualTo(before);
    assertThat(directory.membersGroup()).contains("brian");
    assertThat(status("brian")).isEqualTo("active");
  }

  @Test
  void takingOutMoreOfTheGroupThanAllowedIsRefusedUnlessForced() {
    for (String name : List.of("aoife", "brian", "ciara", "dara", "eoin", "fiona", "gearoid")) {
      member(name, CURRENT);
    }
    member("hugh", LAPSED);
    member("iseult", LAPSED);
    LifecycleSettings tight =
        new LifecycleSettings(
            Set.of(), Set.of(), Set.of(), Set.of(), 0, NOLOGIN, 0.10, Duration.ofHours(8));

    GroupSync.Outcome refused = sync(tight).run(false, false);
    assertThat(refused).isInstanceOf(GroupSync.Outcome.Refused.class);
    assertThat(((GroupSync.Outcome.Refused) refused).reason())
        .contains("2 of the 9")
        .contains("lifecycle.max-deactivate-share")
        .contains("--force");
    assertThat(directory.membersGroup()).contains("hugh", "iseult");
    assertThat(status("hugh")).isEqualTo("active");

    assertThat(sync(tight).run(false, true)).isInstanceOf(GroupSync.Outcome.Applied.class);
    assertThat(directory.membersGroup()).doesNotContain("hugh", "iseult").hasSize(7);
  }

  @Test
  void lifetimeMembersStayBannedOnesGoAndDisabledAccountsGoWhateverTheirList() throws Exception {
    member("aoife", LAPSED); // a lifetime member whose membership lapsed
    member("brian", CURRENT); // banned, though paid
    member("ciara", CURRENT); // disabled by an admin, though paid and on the lifetime list
    TestDatabases.execute(
        database, "UPDATE accounts SET status = 'disabled' WHERE username = 'ciara'");
    // A lifetime member from before this service: an entry, no account row, not in the group.
    ldap.add(
        "dn: uid=founder,ou=users," + TestDirectories.BASE,
        "objectClass: inetOrgPerson",
        "objectClass: posixAccount",
        "uid: founder",
        "cn: Founder",
        "sn: Founder",
        "uidNumber: 500",
        "gidNumber: 1000",
        "homeDirectory: /home/founder",
        "loginShell: /bin/zsh");

    GroupSync.Plan plan =
        sync(rules(Set.of("aoife", "ciara", "founder"), Set.of("brian"), 0))
            .run(false, true)
            .plan();
    assertThat(plan.join()).containsExactly("founder");
    assertThat(plan.leave()).containsExactlyInAnyOrder("brian", "ciara");
    assertThat(directory.membersGroup()).containsExactlyInAnyOrder("aoife", "founder");
    assertThat(directory.loginShells())
        .containsEntry("aoife", BASH)
        .containsEntry("brian", NOLOGIN)
        .containsEntry("ciara", NOLOGIN)
        .containsEntry("founder", "/bin/zsh"); // not an account the service made: left alone
    assertThat(status("aoife")).isEqualTo("active");
    assertThat(status("ciara")).isEqualTo("disabled"); // only an admin sets or clears it
  }

  @Test
  void graceDaysKeepAMembershipCurrentThatLongAfterItsExpiry() {
    member("aoife", "2026-11-20"); // six days before the clock's today
    assertThat(sync(rules(Set.of(), Set.of(), 7)).plan().changes()).isZero();
    clock.advance(Duration.ofDays(2)); // eight days after
    assertThat(sync(rules(Set.of(), Set.of(), 7)).plan().leave()).containsExactly("aoife");
    assertThat(sync(rules(Set.of(), Set.of(), 0)).plan().leave()).containsExactly("aoife");
  }

  @Test
  void theAdminsAndCommitteeGroupsHoldTheConfiguredListsLessDisabledAccounts() throws Exception {
    member("aoife", CURRENT);
    member("brian", LAPSED);
    member("ciara", CURRENT);
    ldap.modify(
        "dn: " + DevDirectory.ADMINS, "changetype: modify", "add: memberUid", "memberUid: mallory");
    TestDatabases.execute(
        database, "UPDATE accounts SET status = 'disabled' WHERE username = 'ciara'");
    LifecycleSettings roles =
        new LifecycleSettings(
            Set.of("aoife", "ciara", "root"),
            Set.of("brian", "aoife"),
            Set.of(),
            Set.of(),
            0,
            NOLOGIN,
            0.5,
            Duration.ofHours(8));

    // Forced: two of the three leave the members group, more than the guard allows.
    GroupSync.Plan dry = ((GroupSync.Outcome.DryRun) sync(roles).run(true, true)).plan();
    assertThat(dry.roles())
        .containsExactly(
            new GroupSync.RoleChange(
                "admins", DevDirectory.ADMINS, List.of("aoife", "root"), List.of("mallory")),
            new GroupSync.RoleChange(
                "committee", DevDirectory.COMMITTEE, List.of("aoife", "brian"), List.of()));
    assertThat(directory.groupMembers(DevDirectory.ADMINS)).containsExactly("mallory");

    GroupSync.Outcome applied = sync(roles).run(false, true);
    assertThat(applied.plan().summary()).endsWith(", 5 admins/committee changes");
    // A lapsed member stays on the committee: the list decides, not the membership.
    assertThat(directory.groupMembers(DevDirectory.ADMINS))
        .containsExactlyInAnyOrder("aoife", "root");
    assertThat(directory.groupMembers(DevDirectory.COMMITTEE))
        .containsExactlyInAnyOrder("aoife", "brian");
    assertThat(
            TestDatabases.rows(
                database,
                "SELECT action || ' ' || target || ' ' || detail FROM audit_log"
                    + " WHERE action LIKE 'group-%' ORDER BY id"))
        .containsExactly(
            "group-left mallory left the admins group",
            "group-joined aoife joined the admins group",
            "group-joined root joined the admins group",
            "group-joined aoife joined the committee group",
            "group-joined brian joined the committee group");

    assertThat(sync(roles).plan().roles()).isEmpty();
    assertThat(sync(roles).plan().changes()).isZero();
  }

  @Test
  void aGroupTheServiceDoesNotKeepIsNeverChanged() {
    assertThatThrownBy(
            () ->
                directory.changeGroup(
                    "cn=wheel,ou=groups," + DevDirectory.BASE, List.of("x"), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a group this service keeps");
  }

  @Test
  void disablingAnAdminTakesThemOutOfTheirGroupsAtOnce() {
    member("aoife", CURRENT);
    LifecycleSettings roles =
        new LifecycleSettings(
            Set.of("aoife"),
            Set.of("aoife"),
            Set.of(),
            Set.of(),
            0,
            NOLOGIN,
            0.5,
            Duration.ofHours(8));
    sync(roles).run(false, false);
    assertThat(directory.groupMembers(DevDirectory.ADMINS)).containsExactly("aoife");

    TestDatabases.execute(
        database, "UPDATE accounts SET status = 'disabled' WHERE username = 'aoife'");
    assertThat(sync(roles).applyTo("aoife")).isFalse();
    assertThat(directory.groupMembers(DevDirectory.ADMINS)).isEmpty();
    assertThat(directory.groupMembers(DevDirectory.COMMITTEE)).isEmpty();
    assertThat(directory.membersGroup()).doesNotContain("aoife");

    TestDatabases.execute(
        database, "UPDATE accounts SET status = 'expired' WHERE username = 'aoife'");
    assertThat(sync(roles).applyTo("aoife")).isTrue();
    assertThat(directory.groupMembers(DevDirectory.ADMINS)).containsExactly("aoife");
    assertThat(TestDatabases.rows(database, "SELECT status FROM accounts"))
        .containsExactly("active");
  }

  @Test
  void aSyncThatWouldEmptyAnAdminsGroupIsRefusedUnlessForced() throws Exception {
    member("aoife", CURRENT);
    ldap.modify(
        "dn: " + DevDirectory.ADMINS, "changetype: modify", "add: memberUid", "memberUid: root");
    GroupSync.Outcome refused = sync().run(false, false);
    assertThat(refused).isInstanceOf(GroupSync.Outcome.Refused.class);
    assertThat(((GroupSync.Outcome.Refused) refused).reason())
        .contains("empty the admins group")
        .contains("lifecycle.admins lists nobody");
    assertThat(directory.groupMembers(DevDirectory.ADMINS)).containsExactly("root");
    sync().run(false, true);
    assertThat(directory.groupMembers(DevDirectory.ADMINS)).isEmpty();
  }
}
