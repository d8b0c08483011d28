package ie.skynet.accounts.directory;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.sdk.LDAPInterface;

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
}
