package ie.skynet.accounts.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.sdk.Entry;
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

class LdapDirectoryIT {
  InMemoryDirectoryServer server;
  LdapDirectory directory;

  @BeforeEach
  void setUp() throws Exception {
    server = TestDirectories.start();
    directory = new LdapDirectory(TestDirectories.settings(server), new SimpleMeterRegistry());
  }

  @AfterEach
  void tearDown() {
    directory.close();
    server.shutDown(true);
  }

  private static NewAccount account(String username) {
    return new NewAccount(username, "Aoife", "Murphy", username + "@example.com", "W" + username);
  }

  @Test
  void createsAWholeAccountThatCanLogIn() throws Exception {
    int uidNumber = directory.createAccount(account("aoife"), "correct horse battery staple");

    assertThat(uidNumber).isEqualTo(10000);
    Entry entry = server.getEntry("uid=aoife,ou=users," + TestDirectories.BASE);
    assertThat(entry.getObjectClassValues())
        .contains("inetOrgPerson", "posixAccount", "ldapPublicKey");
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
  void anExistingUsernameFailsWithItsResultCodeAndTheOldAccountIsUntouched() throws Exception {
    directory.createAccount(account("aoife"), "first password here");
    assertThatThrownBy(() -> directory.createAccount(account("aoife"), "second password here"))
        .isInstanceOfSatisfying(
            DirectoryException.class,
            e -> assertThat(e.resultCode()).isEqualTo(ResultCode.ENTRY_ALREADY_EXISTS));
    assertThat(directory.authenticate("aoife", "first password here")).isTrue();
  }

  @Test
  void aFailureAfterTheEntryIsAddedLeavesNothingBehind() throws Exception {
    LdapDirectory broken =
        new LdapDirectory(
            TestDirectories.settings(server, "cn=no-such-group,ou=groups," + TestDirectories.BASE),
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
        .isPositive();
  }

  @Test
  void concurrentCreationsGetDistinctUidNumbers() throws Exception {
    int accounts = 200;
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Integer>> created = new ArrayList<>();
      for (int i = 0; i < accounts; i++) {
        String name = "member" + i;
        created.add(
            pool.submit(
                () -> directory.createAccount(account(name), "correct horse battery staple")));
      }
      Set<Integer> uidNumbers = new HashSet<>();
      for (Future<Integer> f : created) {
        uidNumbers.add(f.get());
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
    DirectorySettings s = TestDirectories.settings(server);
    DirectorySettings wrong =
        new DirectorySettings(
            s.host(),
            s.port(),
            s.security(),
            s.caFile(),
            s.bindDn(),
            "not-the-password",
            s.usersDn(),
            s.membersGroupDn(),
            s.uidCounterDn(),
            s.wolvesIdAttribute(),
            s.gidNumber(),
            s.homeBase(),
            s.loginShell(),
            s.poolSize(),
            s.timeout());
    assertThatThrownBy(() -> new LdapDirectory(wrong, new SimpleMeterRegistry()))
        .isInstanceOfSatisfying(
            DirectoryException.class,
            e -> assertThat(e.resultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS))
        .hasMessageNotContaining("not-the-password");
  }
}
