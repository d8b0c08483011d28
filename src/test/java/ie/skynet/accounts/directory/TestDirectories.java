package ie.skynet.accounts.directory;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldif.LDIFException;
import ie.skynet.accounts.dev.DevDirectory;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** The dev directory server on a free loopback port, and settings for reaching it. */
public final class TestDirectories {
  public static final String BASE = DevDirectory.BASE;
  public static final String ADMIN_DN = DevDirectory.SERVICE_DN;
  public static final String ADMIN_PASSWORD = "service-secret";
  public static final String MEMBERS = DevDirectory.MEMBERS;
  public static final String COUNTER = DevDirectory.COUNTER;

  private TestDirectories() {}

  public static InMemoryDirectoryServer start() throws LDAPException, LDIFException {
    return start(DevDirectory.loopback(0));
  }

  public static InMemoryDirectoryServer start(InMemoryListenerConfig listener)
      throws LDAPException, LDIFException {
    return DevDirectory.start(listener, ADMIN_PASSWORD);
  }

  public static DirectorySettings settings(InMemoryDirectoryServer server) {
    return settings(server, MEMBERS);
  }

  public static DirectorySettings settings(InMemoryDirectoryServer server, String membersGroup) {
    return settings(
        "127.0.0.1", server.getListenPort(), DirectorySettings.Security.NONE, null, membersGroup);
  }

  public static DirectorySettings settings(
      String host,
      int port,
      DirectorySettings.Security security,
      @Nullable Path caFile,
      String membersGroup) {
    return new DirectorySettings(
        host,
        port,
        security,
        caFile,
        ADMIN_DN,
        ADMIN_PASSWORD,
        "ou=users," + BASE,
        membersGroup,
        DevDirectory.ADMINS,
        DevDirectory.COMMITTEE,
        COUNTER,
        "employeeNumber",
        "skDiscord",
        1000,
        "/home",
        "/bin/bash",
        8,
        Duration.ofSeconds(10));
  }

  /**
   * Adds {@code count} member entries m0, m1, … under {@code usersDn} with this login shell, as a
   * directory made before this service holds them: more than a server's size limit, when asked.
   */
  public static void addMembers(LDAPInterface admin, String usersDn, int count, String shell)
      throws LDAPException, LDIFException {
    for (int i = 0; i < count; i++) {
      admin.add(
          "dn: uid=m" + i + "," + usersDn,
          "objectClass: inetOrgPerson",
          "objectClass: posixAccount",
          "uid: m" + i,
          "cn: Member " + i,
          "sn: Member",
          "uidNumber: " + (20000 + i),
          "gidNumber: 1000",
          "homeDirectory: /home/m" + i,
          "loginShell: " + shell);
    }
  }
}
