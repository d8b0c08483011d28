package ie.skynet.accounts.directory;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPInterface;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory contract on Debian's slapd, set up from {@code deploy/ldap/} with the shipped
 * openssh-lpk schema (a key is a MAY of ldapPublicKey).
 */
class OpenLdapDirectoryIT extends DirectoryContract {
  @TempDir Path dir;

  Slapd.Schema schema() {
    return Slapd.Schema.MAY_KEY;
  }

  @Override
  Server start() throws Exception {
    Slapd slapd = Slapd.start(dir, schema());
    LDAPConnection admin = slapd.admin();
    return new Server() {
      @Override
      public DirectorySettings settings(String membersGroup) {
        return TestDirectories.settings(
            "127.0.0.1", slapd.port(), DirectorySettings.Security.NONE, null, membersGroup);
      }

      @Override
      public LDAPInterface admin() {
        return admin;
      }

      @Override
      public void close() {
        admin.close();
        slapd.close();
      }
    };
  }
}
