package ie.skynet.accounts.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.ResultCode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link LdapDirectory} does on any directory server laid out as the society's; each subclass
 * runs it against one server: the in-memory one, and OpenLDAP set up from {@code deploy/ldap/} with
 * either form of the openssh-lpk schema.
 */
abstract class DirectoryContract {
  /** A server started for one test, with the settings the service uses on it. */
  interface Server extends AutoCloseable {
    DirectorySettings settings(String membersGroup);

    /** A connection allowed everything, to look at and break what the service made. */
    LDAPInterface admin();

    @Override
    void close();
  }

  Server running;
  LDAPInterface server;
  LdapDirectory directory;

  abstract Server start() throws Exception;

  @BeforeEach
  void setUp() throws Exception {
    running = start();
    server = running.admin();
    directory = new LdapDirectory(settings(), new SimpleMeterRegistry());
  }

  DirectorySettings settings() {
    return running.settings(TestDirectories.MEMBERS);
  }

  /** The same directory, bound with this password and holding Discord accounts in this. */
  private DirectorySettings settings(String bindPassword, String discordAttribute) {
    DirectorySettings s = settings();
    return new DirectorySettings(
        s.host(),
        s.port(),
        s.security(),
        s.caFile(),
        s.bindDn(),
        bindPassword,
        s.usersDn(),
        s.membersGroupDn(),
        s.adminsGroupDn(),
        s.committeeGroupDn(),
        s.uidCounterDn(),
        s.wolvesIdAttribute(),
        discordAttribute,
        s.gidNumber(),
        s.homeBase(),
        s.loginShell(),
        s.poolSize(),
        s.timeout());
  }

  @AfterEach
  void tearDown() {
    directory.close();
    running.close();
  }

  private static NewAccount account(String username) {
    return new NewAccount(username, "Aoife", "Murphy", username + "@example.com", "W" + username);
  }

  @Test
  void createsAWholeAccountThatCanLogIn() throws Exception {
    assertThat(directory.createAccount(account("aoife"), "correct horse battery staple"))
        .isEqualTo(new Directory.Creation.Created(10000));
    Entry entry = server.getEntry("uid=aoife,ou=users," + TestDirectories.BASE);
    assertThat(entry.getObjectClassValues()).contains("inetOrgPerson", "posixAccount");
    // The class comes with the first key: the original openssh-lpk schema requires one.
    assertThat(entry.hasObjectClass("ldapPublicKey")).isFalse();
    assertThat(entry.getAttributeValue("cn")).isEqualTo("Aoife Murphy");
    assertThat(entry.getAttributeValue("mail")).isEqualTo("aoife@example.com");
    assertThat(entry.getAttributeValue("uidNumber")).isEqualTo("10000");
    assertThat(entry.getAttributeValue("gidNumber")).isEqualTo("1000");
    assertThat(entry.getAttributeValue("homeDirectory")).isEqualTo("/home/aoife");
    assertThat(entry.getAttributeValue("loginShell")).isEqualTo("/bin/bash");
    assertThat(entry.getAttributeValue("employeeNumber")).isEqualTo("Waoife");
    assertThat(server.getEntry(TestDirectories.MEMBERS).getAttributeValues("memberUid"))
        .containsExactly("aoife");
    assertThat(server.getEntry(TestDirectories.COUNTER).getAttributeValue("uidNumber"))
        .isEqualTo("10001");

    assertThat(directory.authenticate("aoife", "correct horse battery staple")).isTrue();
    assertThat(directory.authenticate("AOIFE", "correct horse battery staple")).isTrue();
    assertThat(directory.authenticate("aoife", "wrong")).isFalse();
    assertThat(directory.authenticate("aoife", "")).isFalse();
    assertThat(directory.authenticate("nobody", "correct horse battery staple")).isFalse();
  }

  @Test
  void usernamesAreTakenIgnoringCaseAndFiltersAreEscaped() {
    directory.createAccount(account("aoife"), "correct horse battery staple");
    assertThat(directory.usernameTaken("Aoife")).isTrue();
    assertThat(directory.usernameTaken("aoif")).isFalse();
    assertThat(directory.usernameTaken("*")).isFalse();
    assertThat(directory.usernameTaken("a*)(uid=*")).isFalse();
  }

  @Test
  void anExistingUsernameIsTakenAndTheOldAccountIsUntouched() throws Exception {
    directory.createAccount(account("aoife"), "first password here");
    assertThat(directory.createAccount(account("aoife"), "second password here"))
        .isEqualTo(new Directory.Creation.UsernameTaken());
    assertThat(directory.authenticate("aoife", "first password here")).isTrue();
    assertThat(directory.authenticate("aoife", "second password here")).isFalse();
  }

  @Test
  void aFailureAfterTheEntryIsAddedLeavesNothingBehind() throws Exception {
    LdapDirectory broken =
        new LdapDirectory(
            running.settings("cn=no-such-group,ou=groups," + TestDirectories.BASE),
            new SimpleMeterRegistry());
    try {
      assertThatThrownBy(
              () -> broken.createAccount(account("aoife"), "correct horse battery staple"))
          .isInstanceOfSatisfying(
              DirectoryException.class,
              e -> {
                assertThat(e.resultCode()).isEqualTo(ResultCode.NO_SUCH_OBJECT);
                assertThat(e.getMessage()).contains("nothing of it is left");
              });
    } finally {
      broken.close();
    }
    assertThat(server.getEntry("uid=aoife,ou=users," + TestDirectories.BASE)).isNull();
    assertThat(directory.usernameTaken("aoife")).isFalse();
    // The member can retry with the same name once the directory is right.
    assertThat(directory.createAccount(account("aoife"), "correct horse battery staple"))
        .isInstanceOf(Directory.Creation.Created.class);
  }

  @Test
  void concurrentCreationsGetDistinctUidNumbers() throws Exception {
    int accounts = 200;
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Directory.Creation>> created = new ArrayList<>();
      for (int i = 0; i < accounts; i++) {
        String name = "member" + i;
        created.add(
            pool.submit(
                () -> directory.createAccount(account(name), "correct horse battery staple")));
      }
      Set<Integer> uidNumbers = new HashSet<>();
      for (Future<Directory.Creation> f : created) {
        uidNumbers.add(((Directory.Creation.Created) f.get()).uidNumber());
      }
      assertThat(uidNumbers).hasSize(accounts);
      assertThat(server.getEntry(TestDirectories.MEMBERS).getAttributeValues("memberUid"))
          .hasSize(accounts);
      assertThat(server.getEntry(TestDirectories.COUNTER).getAttributeValue("uidNumber"))
          .isEqualTo(Integer.toString(10000 + accounts));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aMissingCounterIsExplained() throws Exception {
    server.delete(TestDirectories.COUNTER);
    assertThatThrownBy(
            () -> directory.createAccount(account("aoife"), "correct horse battery staple"))
        .isInstanceOf(DirectoryException.class)
        .hasMessageContaining("uidNumber counter")
        .hasMessageContaining("missing");
    assertThat(directory.usernameTaken("aoife")).isFalse();
  }

  @Test
  void deletingRemovesTheEntryAndTheMembershipAndIsIdempotent() throws Exception {
    directory.createAccount(account("aoife"), "correct horse battery staple");
    directory.deleteAccount("aoife");
    directory.deleteAccount("aoife");
    assertThat(directory.usernameTaken("aoife")).isFalse();
    assertThat(server.getEntry(TestDirectories.MEMBERS).hasAttribute("memberUid")).isFalse();
  }

  @Test
  void wrongServiceCredentialsFailAtStartWithTheirResultCode() {
    DirectorySettings wrong = settings("not-the-password", "skDiscord");
    assertThatThrownBy(() -> new LdapDirectory(wrong, new SimpleMeterRegistry()))
        .isInstanceOfSatisfying(
            DirectoryException.class,
            e -> assertThat(e.resultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS))
        .hasMessageNotContaining("not-the-password");
  }

  private static final String KEY_1 =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJ1c3R5IG9sZCBrZXkgZm9yIHRlc3RzIG9ubHkgYWI= one";
  private static final String KEY_2 =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHNlY29uZCBrZXkgZm9yIHRlc3RzIG9ubHkgYWJjZGU= two";

  private Entry aoife() throws Exception {
    return server.getEntry("uid=aoife,ou=users," + TestDirectories.BASE);
  }

  @Test
  void anEntryHoldsTheKeyClassExactlyWhileItHoldsAKey() throws Exception {
    directory.createAccount(account("aoife"), "correct horse battery staple");

    assertThat(directory.addSshPublicKey("aoife", KEY_1)).isTrue();
    assertThat(aoife().hasObjectClass("ldapPublicKey")).isTrue();
    assertThat(directory.addSshPublicKey("aoife", KEY_1)).isFalse();
    assertThat(directory.addSshPublicKey("aoife", KEY_2)).isTrue();
    assertThat(directory.profile("aoife").orElseThrow().sshPublicKeys())
        .containsExactlyInAnyOrder(KEY_1, KEY_2);

    assertThat(directory.removeSshPublicKey("aoife", KEY_1)).isTrue();
    assertThat(aoife().hasObjectClass("ldapPublicKey")).isTrue();
    assertThat(directory.removeSshPublicKey("aoife", KEY_1)).isFalse();
    assertThat(directory.removeSshPublicKey("aoife", KEY_2)).isTrue();
    assertThat(aoife().hasObjectClass("ldapPublicKey")).isFalse();
    assertThat(aoife().hasAttribute("sshPublicKey")).isFalse();

    directory.setSshPublicKeys("aoife", List.of(KEY_1, KEY_2));
    assertThat(aoife().hasObjectClass("ldapPublicKey")).isTrue();
    assertThat(aoife().getAttributeValues("sshPublicKey")).containsExactlyInAnyOrder(KEY_1, KEY_2);
    directory.setSshPublicKeys("aoife", List.of(KEY_2));
    assertThat(aoife().getAttributeValues("sshPublicKey")).containsExactly(KEY_2);
    directory.setSshPublicKeys("aoife", List.of());
    assertThat(aoife().hasObjectClass("ldapPublicKey")).isFalse();
    assertThat(aoife().hasAttribute("sshPublicKey")).isFalse();
    directory.setSshPublicKeys("aoife", List.of()); // nothing to do is fine
    assertThat(directory.authenticate("aoife", "correct horse battery staple")).isTrue();
  }

  @Test
  void keysOfAnAccountThatDoesNotExistAreAnError() {
    assertThatThrownBy(() -> directory.addSshPublicKey("nobody", KEY_1))
        .isInstanceOfSatisfying(
            DirectoryException.class,
            e -> assertThat(e.resultCode()).isEqualTo(ResultCode.NO_SUCH_OBJECT))
        .hasMessageContaining("there is no entry uid=nobody");
  }

  @Test
  void theDiscordAccountIsSetWithTheClassThatAllowsItAndRemoved() throws Exception {
    directory.createAccount(account("aoife"), "correct horse battery staple");
    assertThat(directory.discordEnabled()).isTrue();
    assertThat(directory.profile("aoife").orElseThrow().discord()).isNull();

    directory.setDiscord("aoife", "aoife.codes");
    assertThat(aoife().getAttributeValue("skDiscord")).isEqualTo("aoife.codes");
    assertThat(aoife().hasObjectClass("skynetPerson")).isTrue();
    assertThat(directory.profile("aoife").orElseThrow().discord()).isEqualTo("aoife.codes");
    directory.setDiscord("aoife", "aoife_2");
    assertThat(aoife().getAttributeValues("skDiscord")).containsExactly("aoife_2");

    directory.setDiscord("aoife", null);
    assertThat(aoife().hasAttribute("skDiscord")).isFalse();
    assertThat(directory.profile("aoife").orElseThrow().discord()).isNull();
    directory.setDiscord("aoife", null); // nothing to do is fine
  }

  @Test
  void aDirectoryWithoutTheDiscordAttributeDoesNotOfferIt() throws Exception {
    DirectorySettings other = settings(settings().bindPassword(), "skTelegram");
    try (LdapDirectory without = new LdapDirectory(other, new SimpleMeterRegistry())) {
      without.createAccount(account("aoife"), "correct horse battery staple");
      assertThat(without.discordEnabled()).isFalse();
      assertThatThrownBy(() -> without.setDiscord("aoife", "aoife.codes"))
          .isInstanceOf(DirectoryException.class)
          .hasMessageContaining("no Discord attribute skTelegram");
      assertThat(without.profile("aoife").orElseThrow().discord()).isNull();
    }
  }

  @Test
  void theMembersGroupAndLoginShellsAreReadAndChangedOneAccountAtATime() throws Exception {
    directory.createAccount(account("aoife"), "correct horse battery staple");
    directory.createAccount(account("brian"), "correct horse battery staple");
    assertThat(directory.membersGroup()).containsExactlyInAnyOrder("aoife", "brian");

    directory.setInMembersGroup("brian", false);
    directory.setInMembersGroup("brian", false); // not there any more: fine
    directory.setInMembersGroup("aoife", true); // there already: fine
    assertThat(directory.membersGroup()).containsExactly("aoife");
    assertThat(server.getEntry(TestDirectories.MEMBERS).getAttributeValues("memberUid"))
        .containsExactly("aoife");
    directory.setInMembersGroup("brian", true);
    assertThat(directory.membersGroup()).containsExactlyInAnyOrder("aoife", "brian");

    directory.setLoginShell("brian", "/usr/sbin/nologin");
    assertThat(directory.loginShells())
        .containsEntry("aoife", "/bin/bash")
        .containsEntry("brian", "/usr/sbin/nologin");
    assertThat(
            server
                .getEntry("uid=brian,ou=users," + TestDirectories.BASE)
                .getAttributeValue("loginShell"))
        .isEqualTo("/usr/sbin/nologin");
  }

  @Test
  void everyLoginShellIsReadPastTheServersSizeLimit() throws Exception {
    // OpenLDAP answers at most 500 entries (olcSizeLimit) to one plain search by the service.
    int entries = 620;
    TestDirectories.addMembers(server, "ou=users," + TestDirectories.BASE, entries, "/bin/sh");
    assertThat(directory.loginShells()).hasSize(entries).containsEntry("m619", "/bin/sh");
  }

  @Test
  void theGroupChangesInOneWriteOrValueByValueWhenItChangedSinceItWasRead() throws Exception {
    for (String name : List.of("aoife", "brian", "ciara")) {
      directory.createAccount(account(name), "correct horse battery staple");
    }
    directory.changeMembersGroup(List.of(), List.of("aoife", "brian"));
    assertThat(directory.membersGroup()).containsExactly("ciara");

    directory.setInMembersGroup("brian", true); // someone else put brian back meanwhile
    directory.changeMembersGroup(List.of("aoife", "brian"), List.of("nobody"));
    assertThat(directory.membersGroup()).containsExactlyInAnyOrder("aoife", "brian", "ciara");
  }

  @Test
  void theAdminsAndCommitteeGroupsChangeAsTheMembersGroupDoes() throws Exception {
    String admins = settings().adminsGroupDn();
    String committee = settings().committeeGroupDn();
    directory.changeGroup(admins, List.of("aoife", "brian"), List.of());
    directory.changeGroup(committee, List.of("ciara"), List.of());
    assertThat(directory.groupMembers(admins)).containsExactlyInAnyOrder("aoife", "brian");
    assertThat(directory.groupMembers(committee)).containsExactly("ciara");

    directory.changeGroup(admins, List.of("aoife"), List.of("brian", "nobody")); // aoife is there
    assertThat(directory.groupMembers(admins)).containsExactly("aoife");
    assertThat(directory.membersGroup()).isEmpty(); // no other group was touched
  }

  @Test
  void shellsAreSetSeveralAtOnceAndAFailureIsThrownAfterTheRestAreMade() throws Exception {
    for (String name : List.of("aoife", "brian")) {
      directory.createAccount(account(name), "correct horse battery staple");
    }
    directory.setLoginShells(java.util.Map.of("aoife", "/usr/sbin/nologin", "brian", "/bin/sh"));
    assertThat(directory.loginShells())
        .containsEntry("aoife", "/usr/sbin/nologin")
        .containsEntry("brian", "/bin/sh");

    assertThatThrownBy(
            () ->
                directory.setLoginShells(
                    java.util.Map.of("aoife", "/bin/bash", "nobody", "/bin/bash")))
        .isInstanceOf(DirectoryException.class)
        .hasMessageContaining("nobody");
    assertThat(directory.loginShells()).containsEntry("aoife", "/bin/bash");
  }
}
