package ie.skynet.accounts.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.extensions.PasswordModifyExtendedRequest;
import com.unboundid.ldif.LDIFReader;
import com.unboundid.util.StaticUtils;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory setup shipped in deploy/ldap, applied to Debian's real slapd as docs/operations.md
 * tells an operator, gives the service exactly what it needs: under the shipped (MAY) openssh-lpk
 * schema and under the original (MUST) one operators already have.
 */
class SlapdSetupIT {
  /** How many rules deploy/ldap/access.ldif puts in front of the database's own. */
  private static final int SHIPPED_RULES = 10;

  private static final String KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKQKxjz0Gz5YJdQ9l8H3Jz7fLs3yD5vG0m8w6oPz1c3E test";

  @Test
  void startsWhenItsPortIsTakenAndItsDirectoryIsLongAndLeavesNothingRunning(@TempDir Path temp)
      throws Exception {
    Path deep = temp.resolve("a-directory-whose-path-is-too-long-for-a-unix-socket-".repeat(2));
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      Deque<Integer> ports = new ArrayDeque<>(List.of(taken.getLocalPort()));
      int port;
      try (Slapd slapd =
          Slapd.start(
              deep,
              Slapd.Schema.MAY_KEY,
              () -> ports.isEmpty() ? Slapd.freePort() : ports.removeFirst())) {
        port = slapd.port();
        assertThat(port).isNotEqualTo(taken.getLocalPort());
        assertThat(slapd.log()).contains("Address already in use");
        assertThat(slapd.ldapiUri()).startsWith("ldapi://%2Ftmp%2Fslapd");
        try (LDAPConnection admin = slapd.admin()) {
          assertThat(admin.getEntry(Slapd.SERVICE_DN)).isNotNull();
        }
      }
      assertThatThrownBy(() -> new LDAPConnection("127.0.0.1", port).close())
          .as("slapd stopped")
          .isInstanceOf(LDAPException.class);
    }
  }

  @Nested
  class WithTheShippedSchema extends Setup {
    WithTheShippedSchema() {
      super(Slapd.Schema.MAY_KEY);
    }

    @Test
    void anEntryMayBeAnLdapPublicKeyWithoutAKey() throws Exception {
      try (LDAPConnection service = service()) {
        Entry entry = member("nokey");
        entry.addAttribute("objectClass", "ldapPublicKey");
        service.add(entry);
        assertThat(service.getEntry(entry.getDN()).getObjectClassValues())
            .contains("ldapPublicKey");
      }
    }

    @Test
    void theSlapdConfFilesSayWhatTheLdifFilesSay(@TempDir Path dir) throws Exception {
      // slapd keeps an olcAccess or schema value as given, but writes what it parsed from a
      // slapd.conf in its own words (dn.exact becomes dn.base, "by * break" "by * +0 break").
      // So both go through the same parser: the shipped slapd.conf forms, and a slapd.conf made
      // of what the running server holds from the shipped .ldif files; slaptest converts each
      // to cn=config, and the results must be equal.
      Path fromLdif = Files.createDirectories(dir.resolve("from-ldif"));
      Path schemas = Files.createDirectories(fromLdif.resolve("schema"));
      Files.writeString(
          schemas.resolve("openssh-lpk.schema"), schemaConf(schemaEntry("openssh-lpk")));
      Files.writeString(schemas.resolve("skynet.schema"), schemaConf(schemaEntry("skynet")));
      StringBuilder access = new StringBuilder();
      List<String> shipped = slapd.shippedAccess();
      for (String rule : shipped.subList(0, SHIPPED_RULES)) {
        access.append("access ").append(rule.replaceFirst("^\\{\\d+\\}", "")).append('\n');
      }
      Files.writeString(fromLdif.resolve("access.conf"), access);

      Path conf = convert(dir.resolve("shipped"), Slapd.DEPLOY.toAbsolutePath());
      Path ldif = convert(dir.resolve("converted"), fromLdif);

      String database = "olcDatabase={1}mdb.ldif";
      assertThat(normalised(values(only(ldif, database), "olcAccess")))
          .hasSize(SHIPPED_RULES)
          .isEqualTo(normalised(values(only(conf, database), "olcAccess")));
      for (String schema : List.of("openssh-lpk", "skynet")) {
        Entry fromConf = only(conf.resolve("cn=schema"), "cn={*}" + schema + ".ldif");
        Entry fromRunning = only(ldif.resolve("cn=schema"), "cn={*}" + schema + ".ldif");
        for (String attribute : List.of("olcAttributeTypes", "olcObjectClasses")) {
          assertThat(normalised(values(fromRunning, attribute)))
              .as(schema + " " + attribute)
              .isNotEmpty()
              .isEqualTo(normalised(values(fromConf, attribute)));
        }
      }
    }

    private Entry schemaEntry(String name) throws Exception {
      return configEntry("cn=schema,cn=config", "(cn={*}" + name + ")");
    }

    private static String schemaConf(Entry schema) {
      StringBuilder out = new StringBuilder();
      for (String type : values(schema, "olcAttributeTypes")) {
        out.append("attributetype ").append(type.replaceFirst("^\\{\\d+\\}", "")).append('\n');
      }
      for (String type : values(schema, "olcObjectClasses")) {
        out.append("objectclass ").append(type.replaceFirst("^\\{\\d+\\}", "")).append('\n');
      }
      return out.toString();
    }

    /**
     * Converts a slapd.conf including {@code files}' openssh-lpk.schema, skynet.schema and
     * access.conf to cn=config in {@code dir}; returns its cn=config directory.
     */
    private static Path convert(Path dir, Path files) throws Exception {
      Path converted = Files.createDirectories(dir.resolve("slapd.d"));
      Path db = Files.createDirectories(dir.resolve("db"));
      Path conf = dir.resolve("slapd.conf");
      Files.writeString(
          conf,
          String.join(
              "\n",
              "include /etc/ldap/schema/core.schema",
              "include /etc/ldap/schema/cosine.schema",
              "include /etc/ldap/schema/nis.schema",
              "include /etc/ldap/schema/inetorgperson.schema",
              "include " + files.resolve("schema/openssh-lpk.schema"),
              "include " + files.resolve("schema/skynet.schema"),
              "modulepath /usr/lib/ldap",
              "moduleload back_mdb",
              "database mdb",
              "suffix \"" + Slapd.BASE + "\"",
              "directory " + db,
              "include " + files.resolve("access.conf"),
              ""),
          StandardCharsets.UTF_8);
      // slaptest opens the database read-only, which fails while there is none: slapadd makes it.
      Path empty = Files.writeString(dir.resolve("empty.ldif"), "");
      Slapd.run(List.of(Slapd.tool("slapadd"), "-f", conf.toString(), "-l", empty.toString()));
      Slapd.run(List.of(Slapd.tool("slaptest"), "-f", conf.toString(), "-F", converted.toString()));
      return converted.resolve("cn=config");
    }
  }

  @Nested
  class WithTheOriginalSchema extends Setup {
    WithTheOriginalSchema() {
      super(Slapd.Schema.MUST_KEY);
    }

    @Test
    void anLdapPublicKeyMustHaveAKey() throws Exception {
      try (LDAPConnection service = service()) {
        Entry entry = member("nokey");
        entry.addAttribute("objectClass", "ldapPublicKey");
        assertThatThrownBy(() -> service.add(entry))
            .isInstanceOfSatisfying(
                LDAPException.class,
                e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.OBJECT_CLASS_VIOLATION));
      }
    }
  }

  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract static class Setup {
    private final Slapd.Schema schema;
    Slapd slapd;

    Setup(Slapd.Schema schema) {
      this.schema = schema;
    }

    @BeforeAll
    void start(@TempDir Path dir) {
      slapd = Slapd.start(dir, schema);
    }

    @AfterAll
    void stop() {
      if (slapd != null) {
        slapd.close();
      }
    }

    LDAPConnection service() throws LDAPException {
      DirectorySettings settings = slapd.settings();
      return new LDAPConnection(
          settings.host(), settings.port(), settings.bindDn(), settings.bindPassword());
    }

    Entry configEntry(String base, String filter) throws Exception {
      String out =
          Slapd.run(
              List.of(
                  Slapd.tool("ldapsearch"),
                  "-Q",
                  "-LLL",
                  "-Y",
                  "EXTERNAL",
                  "-H",
                  slapd.ldapiUri(),
                  "-b",
                  base,
                  filter));
      try (LDIFReader reader =
          new LDIFReader(new java.io.ByteArrayInputStream(out.getBytes(StandardCharsets.UTF_8)))) {
        Entry entry = reader.readEntry();
        assertThat(entry).as(filter + " under " + base).isNotNull();
        assertThat(reader.readEntry()).as("a second " + filter).isNull();
        return entry;
      }
    }

    @Test
    void theServiceBindsAndItsConfiguredEntriesExist() throws Exception {
      DirectorySettings settings = slapd.settings();
      try (LDAPConnection service = service()) {
        for (String dn :
            List.of(
                Slapd.BASE,
                settings.usersDn(),
                settings.membersGroupDn(),
                settings.uidCounterDn(),
                Slapd.PREFLIGHT)) {
          assertThat(service.getEntry(dn)).as(dn).isNotNull();
        }
        assertThat(service.getEntry(settings.membersGroupDn()).getObjectClassValues())
            .contains("posixGroup");
        assertThat(
                service.getEntry(settings.uidCounterDn()).getAttributeValueAsInteger("uidNumber"))
            .isGreaterThanOrEqualTo(10000);
        assertThat(service.getEntry(settings.bindDn(), "userPassword").hasAttribute("userPassword"))
            .as("the service reads no password hash, not even its own")
            .isFalse();
      }
      try (LDAPConnection admin = slapd.admin()) {
        assertThat(
                admin.getEntry(settings.bindDn(), "userPassword").getAttributeValue("userPassword"))
            .as("ldappasswd set the service's password, hashed by slapd")
            .startsWith("{SSHA}");
      }
    }

    @Test
    void theServiceMakesAMemberWhoCanLogIn() throws Exception {
      createsAMemberWhoCanLogIn(Slapd.USERS, "aoife");
    }

    @Test
    void theServiceMakesRehearsalAccountsUnderPreflight() throws Exception {
      createsAMemberWhoCanLogIn(Slapd.PREFLIGHT, "rehearsal");
    }

    private void createsAMemberWhoCanLogIn(String parent, String username) throws Exception {
      String dn = "uid=" + username + "," + parent;
      try (LDAPConnection service = service()) {
        Entry entry = member(username, parent);
        entry.addAttribute("objectClass", "skynetPerson");
        entry.addAttribute("skDiscord", username + "_discord");
        service.add(entry);

        ExtendedResult result =
            service.processExtendedOperation(
                new PasswordModifyExtendedRequest(dn, null, "correct horse battery staple"));
        assertThat(result.getResultCode()).isEqualTo(ResultCode.SUCCESS);
        assertThat(service.getEntry(dn, "userPassword").hasAttribute("userPassword"))
            .as("the service writes passwords, never reads them")
            .isFalse();

        // What a member's SSH key page does: the class with the first key, both gone together.
        service.modify(
            dn,
            new Modification(ModificationType.ADD, "objectClass", "ldapPublicKey"),
            new Modification(ModificationType.ADD, "sshPublicKey", KEY));
        service.modify(
            dn,
            new Modification(ModificationType.REPLACE, "mail", username + "@example.org"),
            new Modification(ModificationType.REPLACE, "cn", "Aoife Ní Bhriain"),
            new Modification(ModificationType.REPLACE, "skDiscord", "another"),
            new Modification(ModificationType.REPLACE, "employeeNumber", "W2"));
        service.modify(
            dn,
            new Modification(ModificationType.DELETE, "sshPublicKey", KEY),
            new Modification(ModificationType.DELETE, "objectClass", "ldapPublicKey"));

        service.modify(
            Slapd.MEMBERS, new Modification(ModificationType.ADD, "memberUid", username));
        assertThat(service.getEntry(Slapd.MEMBERS).getAttributeValues("memberUid"))
            .contains(username);
      }
      try (LDAPConnection admin = slapd.admin()) {
        Entry stored = admin.getEntry(dn, "*");
        assertThat(stored.getAttributeValue("userPassword"))
            .as("slapd hashes what Password Modify sets (olcPasswordHash, default {SSHA})")
            .startsWith("{SSHA}");
        assertThat(stored.getAttributeValue("skDiscord")).isEqualTo("another");
        assertThat(stored.getAttributeValue("cn")).isEqualTo("Aoife Ní Bhriain");
        assertThat(stored.getObjectClassValues()).doesNotContain("ldapPublicKey");
      }
      try (LDAPConnection member = new LDAPConnection("127.0.0.1", slapd.port())) {
        member.bind(dn, "correct horse battery staple");
        assertThatThrownBy(() -> member.bind(dn, "wrong"))
            .isInstanceOfSatisfying(
                LDAPException.class,
                e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.INVALID_CREDENTIALS));
      }
      try (LDAPConnection service = service()) {
        service.modify(
            Slapd.MEMBERS, new Modification(ModificationType.DELETE, "memberUid", username));
        service.delete(dn);
        assertThat(service.getEntry(dn)).isNull();
      }
    }

    @Test
    void theServiceTakesUidNumbersByCompareAndSwap() throws Exception {
      try (LDAPConnection service = service()) {
        int current = service.getEntry(Slapd.COUNTER).getAttributeValueAsInteger("uidNumber");
        service.modify(Slapd.COUNTER, swap(current));
        assertThat(service.getEntry(Slapd.COUNTER).getAttributeValueAsInteger("uidNumber"))
            .isEqualTo(current + 1);
        assertThatThrownBy(() -> service.modify(Slapd.COUNTER, swap(current)))
            .as("a racer that read the old value loses with noSuchAttribute, and retries")
            .isInstanceOfSatisfying(
                LDAPException.class,
                e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.NO_SUCH_ATTRIBUTE));
      }
    }

    private static Modification[] swap(int read) {
      return new Modification[] {
        new Modification(ModificationType.DELETE, "uidNumber", Integer.toString(read)),
        new Modification(ModificationType.ADD, "uidNumber", Integer.toString(read + 1))
      };
    }

    @Test
    void theServiceReadsTheServerClock() throws Exception {
      try (LDAPConnection service = service()) {
        SearchResultEntry time =
            service.getEntry("cn=Current,cn=Time,cn=Monitor", "monitorTimestamp");
        assertThat(time).isNotNull();
        Instant stamp =
            StaticUtils.decodeGeneralizedTime(time.getAttributeValue("monitorTimestamp"))
                .toInstant();
        // Against the clock of a process started now, as slapd's is: under faketime each process
        // starts its own clock at the faked date, so this JVM's would be behind by its age.
        Instant machine =
            Instant.ofEpochSecond(Long.parseLong(Slapd.run(List.of("date", "+%s")).strip()));
        assertThat(Duration.between(stamp, machine).abs()).isLessThan(Duration.ofMinutes(1));
      }
      try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", slapd.port())) {
        assertThat(anonymous.getEntry("cn=Current,cn=Time,cn=Monitor")).isNull();
      }
    }

    @Test
    void membersReadNoOnesPasswordButTheirOwnAndAnonymousWritesNothing() throws Exception {
      String first = "uid=niamh," + Slapd.USERS;
      String second = "uid=cian," + Slapd.USERS;
      try (LDAPConnection service = service()) {
        for (String username : List.of("niamh", "cian")) {
          String dn = "uid=" + username + "," + Slapd.USERS;
          service.add(member(username));
          service.processExtendedOperation(new PasswordModifyExtendedRequest(dn, null, "pw-" + dn));
        }
      }
      try (LDAPConnection member = new LDAPConnection("127.0.0.1", slapd.port())) {
        member.bind(first, "pw-" + first);
        assertThat(member.getEntry(second, "userPassword").hasAttribute("userPassword")).isFalse();
        assertThat(member.getEntry(first, "userPassword").hasAttribute("userPassword")).isTrue();
        assertThatThrownBy(
                () ->
                    member.modify(
                        Slapd.MEMBERS,
                        new Modification(ModificationType.ADD, "memberUid", "niamh")))
            .isInstanceOfSatisfying(
                LDAPException.class,
                e ->
                    assertThat(e.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS));
      }
      try (LDAPConnection anonymous = new LDAPConnection("127.0.0.1", slapd.port())) {
        assertThat(anonymous.getEntry(first, "userPassword").hasAttribute("userPassword"))
            .isFalse();
        for (Runnable write :
            List.<Runnable>of(
                () -> modify(anonymous, first, "mail", "x@example.org"),
                () -> modify(anonymous, Slapd.MEMBERS, "memberUid", "x"),
                () -> modify(anonymous, Slapd.COUNTER, "uidNumber", "1"))) {
          // slapd refuses any update from an anonymous session before it looks at any rule.
          assertThatThrownBy(write::run)
              .isInstanceOfSatisfying(
                  WriteFailed.class,
                  e -> assertThat(e.code).isEqualTo(ResultCode.STRONG_AUTH_REQUIRED));
        }
      }
      try (LDAPConnection service = service()) {
        service.delete(first);
        service.delete(second);
      }
    }

    private static final class WriteFailed extends RuntimeException {
      private static final long serialVersionUID = 1L;
      final transient ResultCode code;

      WriteFailed(LDAPException cause) {
        super(cause);
        this.code = cause.getResultCode();
      }
    }

    private static void modify(
        LDAPConnection connection, String dn, String attribute, String value) {
      try {
        connection.modify(dn, new Modification(ModificationType.REPLACE, attribute, value));
      } catch (LDAPException e) {
        throw new WriteFailed(e);
      }
    }

    /**
     * Even with the service's password, no entry gets root's or a system account's ids
     * (constraint.ldif): access rules alone would let a new entry carry any value.
     */
    @Test
    void theServiceMayGiveOnlyMembersNumbers() throws Exception {
      try (LDAPConnection service = service()) {
        Entry root = member("mallory");
        root.setAttribute("uidNumber", "0");
        assertRefused(() -> service.add(root));
        Entry sudo = member("mallory");
        sudo.setAttribute("gidNumber", "27");
        assertRefused(() -> service.add(sudo));
        Entry system = member("mallory");
        system.setAttribute("uidNumber", "999");
        assertRefused(() -> service.add(system));

        service.add(member("maeve"));
        String dn = "uid=maeve," + Slapd.USERS;
        assertRefused(
            () -> service.modify(dn, new Modification(ModificationType.REPLACE, "uidNumber", "0")));
        assertRefused(
            () -> service.modify(dn, new Modification(ModificationType.REPLACE, "gidNumber", "0")));
        service.modify(dn, new Modification(ModificationType.REPLACE, "uidNumber", "10042"));
        assertThat(service.getEntry(dn).getAttributeValue("uidNumber")).isEqualTo("10042");
        service.delete(dn);
      }
    }

    private void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable write) {
      assertThatThrownBy(write)
          .isInstanceOfSatisfying(
              LDAPException.class,
              e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.CONSTRAINT_VIOLATION));
    }

    @Test
    void withoutItsRulesTheServiceIsRefused() throws Exception {
      String dn = "uid=ronan," + Slapd.USERS;
      try (LDAPConnection service = service()) {
        service.add(member("ronan"));
        try {
          slapd.withholdPasswordWrite();
          ExtendedResult refused =
              service.processExtendedOperation(new PasswordModifyExtendedRequest(dn, null, "pw"));
          assertThat(refused.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS);

          slapd.withholdMemberUidWrite();
          assertThatThrownBy(
                  () ->
                      service.modify(
                          Slapd.MEMBERS,
                          new Modification(ModificationType.ADD, "memberUid", "ronan")))
              .isInstanceOfSatisfying(
                  LDAPException.class,
                  e ->
                      assertThat(e.getResultCode())
                          .isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS));
        } finally {
          slapd.restoreAccess();
        }
        ExtendedResult allowed =
            service.processExtendedOperation(new PasswordModifyExtendedRequest(dn, null, "pw"));
        assertThat(allowed.getResultCode()).isEqualTo(ResultCode.SUCCESS);
        service.modify(Slapd.MEMBERS, new Modification(ModificationType.ADD, "memberUid", "ronan"));
        service.modify(
            Slapd.MEMBERS, new Modification(ModificationType.DELETE, "memberUid", "ronan"));
        service.delete(dn);
      }
    }
  }

  static Entry member(String username) {
    return member(username, Slapd.USERS);
  }

  static Entry member(String username, String parent) {
    Entry entry = new Entry("uid=" + username + "," + parent);
    entry.addAttribute("objectClass", "top", "inetOrgPerson", "posixAccount");
    entry.addAttribute("uid", username);
    entry.addAttribute("cn", "Aoife Murphy");
    entry.addAttribute("sn", "Murphy");
    entry.addAttribute("givenName", "Aoife");
    entry.addAttribute("mail", username + "@example.com");
    entry.addAttribute("uidNumber", "20000");
    entry.addAttribute("gidNumber", "1000");
    entry.addAttribute("homeDirectory", "/home/" + username);
    entry.addAttribute("loginShell", "/bin/bash");
    entry.addAttribute("employeeNumber", "W" + username);
    return entry;
  }

  /**
   * The entry of the one file in {@code dir} whose name matches {@code pattern}, where only {@code
   * *} is special (slapd's names are full of glob's braces).
   */
  static Entry only(Path dir, String pattern) throws Exception {
    Pattern name =
        Pattern.compile(
            Stream.of(pattern.split("\\*", -1))
                .map(Pattern::quote)
                .collect(Collectors.joining(".*")));
    List<Path> files;
    try (Stream<Path> listed = Files.list(dir)) {
      files = listed.filter(file -> name.matcher(file.getFileName().toString()).matches()).toList();
    }
    assertThat(files).as(pattern + " in " + dir).hasSize(1);
    try (LDIFReader reader = new LDIFReader(files.get(0).toFile())) {
      return reader.readEntry();
    }
  }

  static List<String> values(Entry entry, String attribute) {
    Attribute values = entry.getAttribute(attribute);
    return values == null ? List.of() : List.of(values.getValues());
  }

  /** Without slapd's {n} ordering prefixes, and with runs of white space as one space. */
  static List<String> normalised(List<String> values) {
    return values.stream()
        .map(value -> value.replaceFirst("^\\{\\d+\\}", "").strip().replaceAll("\\s+", " "))
        .toList();
  }
}
