package ie.skynet.accounts.directory;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.OperationType;
import ie.skynet.accounts.dev.DevDirectory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The directory contract on the in-memory server that {@code accounts dev} runs. */
class LdapDirectoryIT extends DirectoryContract {
  @Override
  Server start() throws Exception {
    InMemoryDirectoryServer memory = TestDirectories.start();
    return new Server() {
      @Override
      public DirectorySettings settings(String membersGroup) {
        return TestDirectories.settings(memory, membersGroup);
      }

      @Override
      public LDAPInterface admin() {
        return memory;
      }

      @Override
      public void close() {
        memory.shutDown(true);
      }
    };
  }

  /**
   * A failed creation that cannot be undone says what is left, found by looking: here a server that
   * refuses every delete, and a members group that does not exist.
   */
  @Test
  void aCreationThatCannotBeUndoneSaysWhatIsLeft() throws Exception {
    EnumSet<OperationType> allowed = EnumSet.allOf(OperationType.class);
    allowed.remove(OperationType.DELETE);
    InMemoryDirectoryServer noDeletes =
        DevDirectory.start(
            DevDirectory.loopback(0),
            TestDirectories.ADMIN_PASSWORD,
            config -> config.setAllowedOperationTypes(allowed));
    try (LdapDirectory broken =
        new LdapDirectory(
            TestDirectories.settings(
                "127.0.0.1",
                noDeletes.getListenPort(),
                DirectorySettings.Security.NONE,
                null,
                "cn=no-such-group,ou=groups," + TestDirectories.BASE),
            new SimpleMeterRegistry())) {
      assertThatThrownBy(
              () ->
                  broken.createAccount(
                      new NewAccount("aoife", "Aoife", "Murphy", "a@example.com", "W1"),
                      "correct horse battery staple"))
          .isInstanceOf(DirectoryException.class)
          .hasMessageContaining(
              "; undoing it left the entry uid=aoife,ou=users,dc=skynet,dc=ie (deleting it"
                  + " answered 53 (unwilling to perform)")
          .hasMessageEndingWith(", which an operator must remove by hand")
          .hasMessageNotContaining("nothing of it is left");
    } finally {
      noDeletes.shutDown(true);
    }
  }
}
