package ie.skynet.accounts.directory;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** A real LDAP server in memory, listening on loopback, seeded as the society's directory is. */
public final class TestDirectories {
  public static final String BASE = "dc=skynet,dc=ie";
  public static final String ADMIN_DN = "cn=accounts-service," + BASE;
  public static final String ADMIN_PASSWORD = "service-secret";
  public static final String MEMBERS = "cn=skynet-users,ou=groups," + BASE;
  public static final String COUNTER = "cn=uid-counter," + BASE;

  /**
   * What the standard schema lacks: RFC 2307's POSIX accounts and groups (as in OpenLDAP's
   * nis.schema) and openssh-lpk's auxiliary class for SSH keys.
   */
  private static final String[] SCHEMA = {
    "attributeTypes: ( 1.3.6.1.1.1.1.0 NAME 'uidNumber' EQUALITY integerMatch"
        + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )",
    "attributeTypes: ( 1.3.6.1.1.1.1.1 NAME 'gidNumber' EQUALITY integerMatch"
        + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.27 SINGLE-VALUE )",
    "attributeTypes: ( 1.3.6.1.1.1.1.2 NAME 'gecos' EQUALITY caseIgnoreIA5Match"
        + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.26 SINGLE-VALUE )",
    "attributeTypes: ( 1.3.6.1.1.1.1.3 NAME 'homeDirectory' EQUALITY caseExactIA5Match"
        + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.26 SINGLE-VALUE )",
    "attributeTypes: ( 1.3.6.1.1.1.1.4 NAME 'loginShell' EQUALITY caseExactIA5Match"
        + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.26 SINGLE-VALUE )",
    "attributeTypes: ( 1.3.6.1.1.1.1.12 NAME 'memberUid' EQUALITY caseExactIA5Match"
        + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.26 )",
    "objectClasses: ( 1.3.6.1.1.1.2.0 NAME 'posixAccount' SUP top AUXILIARY"
        + " MUST ( cn $ uid $ uidNumber $ gidNumber $ homeDirectory )"
        + " MAY ( userPassword $ loginShell $ gecos $ description ) )",
    "objectClasses: ( 1.3.6.1.1.1.2.2 NAME 'posixGroup' SUP top STRUCTURAL MUST ( cn $ gidNumber )"
        + " MAY ( userPassword $ memberUid $ description ) )",
    "attributeTypes: ( 1.3.6.1.4.1.24552.500.1.1.1.13 NAME 'sshPublicKey' EQUALITY octetStringMatch"
        + " SYNTAX 1.3.6.1.4.1.1466.115.121.1.40 )",
    "objectClasses: ( 1.3.6.1.4.1.24552.500.1.1.2.0 NAME 'ldapPublicKey' SUP top AUXILIARY"
        + " MAY ( sshPublicKey $ uid ) )"
  };

  private TestDirectories() {}

  public static InMemoryDirectoryServer start() throws LDAPException, LDIFException {
    return start(
        InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
  }

  public static InMemoryDirectoryServer start(InMemoryListenerConfig listener)
      throws LDAPException, LDIFException {
    InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
    Entry extra = new Entry("cn=schema");
    for (String line : SCHEMA) {
      int colon = line.indexOf(':');
      extra.addAttribute(line.substring(0, colon), line.substring(colon + 1).strip());
    }
    config.setSchema(Schema.mergeSchemas(Schema.getDefaultStandardSchema(), new Schema(extra)));
    config.setListenerConfigs(listener);
    config.addAdditionalBindCredentials(ADMIN_DN, ADMIN_PASSWORD);
    InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
    server.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: skynet");
    server.add(
        "dn: ou=users," + BASE, "objectClass: top", "objectClass: organizationalUnit", "ou: users");
    server.add(
        "dn: ou=groups," + BASE,
        "objectClass: top",
        "objectClass: organizationalUnit",
        "ou: groups");
    server.add(
        "dn: " + MEMBERS,
        "objectClass: top",
        "objectClass: posixGroup",
        "cn: skynet-users",
        "gidNumber: 1000");
    server.add(
        "dn: " + COUNTER,
        "objectClass: top",
        "objectClass: organizationalRole",
        "objectClass: extensibleObject",
        "cn: uid-counter",
        "uidNumber: 10000");
    server.startListening();
    return server;
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
        COUNTER,
        "employeeNumber",
        1000,
        "/home",
        "/bin/bash",
        8,
        Duration.ofSeconds(10));
  }
}
