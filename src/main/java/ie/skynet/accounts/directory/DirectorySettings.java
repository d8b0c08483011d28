package ie.skynet.accounts.directory;

import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How to reach the directory and where accounts live in it.
 *
 * @param security how the connection is protected; {@link Security#NONE} only when configured
 * @param caFile PEM file of the certificate authorities to trust; null for the JVM's own
 * @param membersGroupDn the {@code posixGroup} every active member belongs to ({@code memberUid})
 * @param adminsGroupDn the group of the admins ({@code memberUid}); empty when the service does not
 *     keep one
 * @param committeeGroupDn the group of the committee ({@code memberUid}); empty when the service
 *     does not keep one
 * @param uidCounterDn the entry whose {@code uidNumber} holds the next number to give out
 * @param wolvesIdAttribute the attribute that links an entry to its Wolves membership
 * @param discordAttribute the attribute holding the member's Discord account (the society's {@code
 *     skDiscord}); null when the service offers none. The directory's schema decides whether it
 *     exists there.
 */
public record DirectorySettings(
    String host,
    int port,
    Security security,
    @Nullable Path caFile,
    String bindDn,
    String bindPassword,
    String usersDn,
    String membersGroupDn,
    String adminsGroupDn,
    String committeeGroupDn,
    String uidCounterDn,
    String wolvesIdAttribute,
    @Nullable String discordAttribute,
    int gidNumber,
    String homeBase,
    String loginShell,
    int poolSize,
    Duration timeout) {

  /** Transport protection for the LDAP connection. */
  public enum Security {
    /** TLS from the first byte (ldaps://, usually port 636). */
    LDAPS,
    /** Plain connection upgraded with the StartTLS extended operation before binding. */
    STARTTLS,
    /** No protection: for a directory on loopback or in tests only. */
    NONE
  }

  /** The same directory, with accounts made under another entry (a rehearsal's OU). */
  public DirectorySettings withUsersDn(String dn) {
    return new DirectorySettings(
        host,
        port,
        security,
        caFile,
        bindDn,
        bindPassword,
        dn,
        membersGroupDn,
        adminsGroupDn,
        committeeGroupDn,
        uidCounterDn,
        wolvesIdAttribute,
        discordAttribute,
        gidNumber,
        homeBase,
        loginShell,
        poolSize,
        timeout);
  }

  /** The groups besides the members group whose members the service keeps, by what they are. */
  public java.util.Map<String, String> roleGroups() {
    java.util.Map<String, String> groups = new java.util.LinkedHashMap<>();
    if (!adminsGroupDn.isEmpty()) {
      groups.put("admins", adminsGroupDn);
    }
    if (!committeeGroupDn.isEmpty()) {
      groups.put("committee", committeeGroupDn);
    }
    return groups;
  }

  @Override
  public String toString() {
    // Records print every component; the bind password must never reach a log.
    return "DirectorySettings[" + host + ":" + port + ", " + security + ", bind " + bindDn + "]";
  }
}
