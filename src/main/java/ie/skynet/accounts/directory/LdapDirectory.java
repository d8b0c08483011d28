package ie.skynet.accounts.directory;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.ExtendedResult;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.ldap.sdk.extensions.PasswordModifyExtendedRequest;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.SSLUtil;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Directory} over a pool of LDAP connections bound as the service account. */
public final class LdapDirectory implements Directory, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LdapDirectory.class);
  private static final String SSH_KEY = SshKeyEntries.ATTRIBUTE;

  private final DirectorySettings settings;
  private final LDAPConnectionPool pool;
  private final TimedLdap ldap;
  private final DN usersDn;
  private final DN membersGroupDn;
  private final UidNumberAllocator uidNumbers;
  private final AccessRights rights;
  private final SshKeyEntries keys;
  private final DiscordAttribute discord;

  /**
   * @param metrics where the operations' timers go ({@code accounts.ldap.operations})
   */
  public LdapDirectory(DirectorySettings settings, MeterRegistry metrics) {
    this.settings = settings;
    try {
      this.usersDn = new DN(settings.usersDn());
      this.membersGroupDn = new DN(settings.membersGroupDn());
      DN counter = new DN(settings.uidCounterDn());
      this.pool = connect(settings);
      this.ldap = new TimedLdap(pool, metrics);
      this.rights = new AccessRights(settings.bindDn());
      this.uidNumbers = new UidNumberAllocator(pool, counter, rights);
      this.keys = new SshKeyEntries(ldap, rights);
      this.discord = new DiscordAttribute(settings.discordAttribute(), pool, ldap, rights);
    } catch (LDAPException e) {
      throw new DirectoryException("cannot use the directory " + settings, e);
    }
  }

  private static LDAPConnectionPool connect(DirectorySettings settings) throws LDAPException {
    LDAPConnectionOptions options = new LDAPConnectionOptions();
    int timeout = (int) settings.timeout().toMillis();
    options.setConnectTimeoutMillis(timeout);
    options.setResponseTimeoutMillis(timeout);
    BindRequest bind = new SimpleBindRequest(settings.bindDn(), settings.bindPassword());
    LDAPConnection first;
    StartTLSPostConnectProcessor startTls = null;
    switch (settings.security()) {
      case LDAPS ->
          first = new LDAPConnection(tls(settings), options, settings.host(), settings.port());
      case STARTTLS -> {
        SSLSocketFactory tls = tls(settings);
        first = new LDAPConnection(options, settings.host(), settings.port());
        try {
          ExtendedResult result = first.processExtendedOperation(new StartTLSExtendedRequest(tls));
          if (result.getResultCode() != ResultCode.SUCCESS) {
            throw new LDAPException(result);
          }
        } catch (LDAPException e) {
          first.close();
          throw e;
        }
        startTls = new StartTLSPostConnectProcessor(tls);
      }
      default -> first = new LDAPConnection(options, settings.host(), settings.port());
    }
    try {
      first.bind(bind);
    } catch (LDAPException e) {
      first.close();
      throw e;
    }
    return new LDAPConnectionPool(first, 1, settings.poolSize(), startTls);
  }

  /**
   * The TLS context the service's connections use: the configured CAs, or the JVM's. For checks
   * that must trust exactly what the service trusts.
   */
  public static SSLContext trustFor(DirectorySettings settings) {
    try {
      return ssl(settings).createSSLContext();
    } catch (LDAPException | GeneralSecurityException e) {
      throw new DirectoryException("cannot set up TLS for " + settings, toLdap(e));
    }
  }

  /**
   * The TLS socket factory of the service's own connections (trust and host name check included),
   * for checks that must accept exactly what the service accepts.
   */
  public static SSLSocketFactory socketFactoryFor(DirectorySettings settings) {
    try {
      return tls(settings);
    } catch (LDAPException e) {
      throw new DirectoryException("cannot set up TLS for " + settings, e);
    }
  }

  private static LDAPException toLdap(Exception e) {
    return e instanceof LDAPException ldap
        ? ldap
        : new LDAPException(ResultCode.LOCAL_ERROR, String.valueOf(e.getMessage()), e);
  }

  /** TLS that trusts the configured CAs (or the JVM's) and checks the server's host name. */
  private static SSLSocketFactory tls(DirectorySettings settings) throws LDAPException {
    try {
      return new EndpointCheckingSocketFactory(ssl(settings).createSSLContext().getSocketFactory());
    } catch (GeneralSecurityException e) {
      throw new LDAPException(ResultCode.LOCAL_ERROR, "cannot set up TLS: " + e, e);
    }
  }

  /**
   * The JDK's PKIX validation, which checks every signature and CA constraint up the chain, over
   * the configured CA file or else the JVM's trust store. (UnboundID's own trust managers accept a
   * chain that merely contains a trusted certificate, or is signed by a non-CA.)
   */
  private static SSLUtil ssl(DirectorySettings settings) throws LDAPException {
    Path caFile = settings.caFile();
    try {
      KeyStore anchors = null; // null: the JVM's trust store
      if (caFile != null) {
        anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        anchors.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
          int i = 0;
          for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
            anchors.setCertificateEntry("ca-" + i++, ca);
          }
          if (i == 0) {
            throw new GeneralSecurityException("no certificate in it");
          }
        }
      }
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(anchors);
      return new SSLUtil(trust.getTrustManagers());
    } catch (GeneralSecurityException | IOException e) {
      throw new LDAPException(
          ResultCode.PARAM_ERROR, "cannot use the CA file " + caFile + ": " + e, e);
    }
  }

  @Override
  public void ping() {
    try {
      if (pool.getEntry(usersDn.toString(), "1.1") == null) {
        throw new DirectoryException(usersDn + " does not exist", ResultCode.NO_SUCH_OBJECT);
      }
    } catch (LDAPException e) {
      throw new DirectoryException("reading " + usersDn + " failed", e);
    }
  }

  @Override
  public boolean usernameTaken(String username) {
    // uid matches ignoring case in the standard schema, so "Alice" finds "alice".
    return findUser(username) != null;
  }

  private @Nullable SearchResultEntry findUser(String username) {
    try {
      SearchResult result =
          ldap.search(
              usersDn.toString(),
              SearchScope.ONE,
              Filter.createEqualityFilter("uid", username),
              "1.1");
      List<SearchResultEntry> entries = result.getSearchEntries();
      return entries == null || entries.isEmpty() ? null : entries.get(0);
    } catch (LDAPException e) {
      throw new DirectoryException("searching for user " + username + " failed", e);
    }
  }

  @Override
  public void setPassword(String username, String password) {
    DN dn = userDn(username);
    try {
      changePassword(dn, password);
    } catch (LDAPException e) {
      throw new DirectoryException(
          "setting the password of " + username + " failed", e, passwordRight(e, dn));
    }
  }

  /** Password Modify (RFC 3062): the server hashes the password with its own scheme. */
  private void changePassword(DN dn, String password) throws LDAPException {
    ExtendedResult result =
        ldap.password(new PasswordModifyExtendedRequest(dn.toString(), null, password));
    if (result.getResultCode() != ResultCode.SUCCESS) {
      throw new LDAPException(result);
    }
  }

  private String passwordRight(LDAPException e, DN dn) {
    return rights.lacking(e, "write access to userPassword of " + dn);
  }

  @Override
  public Optional<Profile> profile(String username) {
    List<String> attributes =
        new ArrayList<>(List.of("uid", "cn", "mail", "sshPublicKey", "loginShell"));
    String discord = settings.discordAttribute();
    if (discord != null) {
      attributes.add(discord);
    }
    try {
      SearchResult result =
          ldap.search(
              usersDn.toString(),
              SearchScope.ONE,
              Filter.createEqualityFilter("uid", username),
              attributes.toArray(String[]::new));
      List<SearchResultEntry> entries = result.getSearchEntries();
      if (entries == null || entries.isEmpty()) {
        return Optional.empty();
      }
      SearchResultEntry entry = entries.get(0);
      return Optional.of(
          new Profile(
              Objects.requireNonNullElse(entry.getAttributeValue("uid"), username),
              Objects.requireNonNullElse(entry.getAttributeValue("cn"), username),
              entry.getAttributeValue("mail"),
              keysOf(entry),
              discord == null ? null : entry.getAttributeValue(discord),
              Objects.requireNonNullElse(entry.getAttributeValue("loginShell"), "")));
    } catch (LDAPException e) {
      throw new DirectoryException("reading the account " + username + " failed", e);
    }
  }

  private static List<String> keysOf(Entry entry) {
    String[] keys = entry.getAttributeValues(SSH_KEY);
    return keys == null ? List.of() : List.of(keys);
  }

  @Override
  public Creation createAccount(NewAccount account, String password) {
    int uidNumber = uidNumbers.next();
    DN dn = userDn(account.username());
    // No ldapPublicKey yet: the original openssh-lpk schema makes sshPublicKey a MUST of it, so
    // the class comes with the first key (see addSshPublicKey).
    Entry entry = new Entry(dn);
    entry.addAttribute("objectClass", "top", "inetOrgPerson", "posixAccount");
    entry.addAttribute("uid", account.username());
    entry.addAttribute("cn", account.commonName());
    entry.addAttribute("sn", account.surname());
    if (account.givenName() != null) {
      entry.addAttribute("givenName", account.givenName());
    }
    entry.addAttribute("mail", account.mail());
    entry.addAttribute("uidNumber", Integer.toString(uidNumber));
    entry.addAttribute("gidNumber", Integer.toString(settings.gidNumber()));
    entry.addAttribute("homeDirectory", settings.homeBase() + "/" + account.username());
    entry.addAttribute("loginShell", settings.loginShell());
    entry.addAttribute(settings.wolvesIdAttribute(), account.wolvesId());
    try {
      ldap.add(entry);
    } catch (LDAPException e) {
      String failed = "adding " + dn + " failed";
      String lacking =
          rights.lacking(
              e,
              "write access to the children of "
                  + usersDn
                  + ", or to the new entry and its attributes");
      if (e.getResultCode() == ResultCode.ENTRY_ALREADY_EXISTS) {
        return new Creation.UsernameTaken(); // its uidNumber is spent: numbers are not reused
      }
      // A timeout or lost connection may hide an add the server did apply; but the entry there
      // may as well be another signup's, which won the race for this name: touch only ours.
      String unknown;
      try {
        if (!isOurs(dn, account.wolvesId())) {
          throw new DirectoryException(failed, e, lacking);
        }
        unknown = null;
      } catch (LDAPException unreadable) {
        unknown = DirectoryException.describe(unreadable);
      }
      if (unknown != null) {
        log.error("after a failed add, whether {} exists cannot be read ({}): look", dn, unknown);
        throw new DirectoryException(
            failed,
            e,
            lacking
                + "; whether it was made anyway could not be checked ("
                + unknown
                + "): if "
                + dn
                + " carries Wolves id "
                + account.wolvesId()
                + ", an operator must remove it");
      }
      throw new DirectoryException(failed, e, lacking + leftBehind(dn, account.username()));
    }
    try {
      changePassword(dn, password);
    } catch (LDAPException e) {
      throw new DirectoryException(
          "setting the password of new account " + dn + " failed",
          e,
          passwordRight(e, dn) + leftBehind(dn, account.username()));
    }
    try {
      addToMembersGroup(account.username());
    } catch (LDAPException e) {
      throw new DirectoryException(
          "adding new account " + account.username() + " to " + membersGroupDn + " failed",
          e,
          groupRight(e) + leftBehind(dn, account.username()));
    }
    return new Creation.Created(uidNumber);
  }

  private String groupRight(LDAPException e) {
    return groupRight(membersGroupDn, e);
  }

  private String groupRight(DN groupDn, LDAPException e) {
    return rights.lacking(e, "write access to memberUid of " + groupDn);
  }

  /**
   * Undoes a failed creation, each step on its own (the step that failed may be the one that cannot
   * be undone), then looks at what is really left, for the error message. Looking, not inferring:
   * OpenLDAP checks rights before values, so taking out a memberUid that was never added can answer
   * "insufficient access" where another server answers "no such attribute".
   */
  private String leftBehind(DN dn, String username) {
    String entryRefused = "";
    String groupRefused = "";
    try {
      ldap.delete(dn.toString());
    } catch (LDAPException e) {
      entryRefused = " (deleting it answered " + DirectoryException.describe(e) + ")";
    }
    try {
      removeFromGroup(username);
    } catch (LDAPException e) {
      groupRefused = " (taking it out answered " + DirectoryException.describe(e) + ")";
    }
    List<String> left = new ArrayList<>();
    try {
      if (exists(dn)) {
        left.add("the entry " + dn + entryRefused);
      }
      if (inMembersGroup(username)) {
        left.add("memberUid " + username + " in " + membersGroupDn + groupRefused);
      }
    } catch (LDAPException e) {
      log.error(
          "after a failed creation of {}, what is left of it cannot be read ({}): look at {} and {}",
          dn,
          DirectoryException.describe(e),
          dn,
          membersGroupDn);
      return "; what is left of it could not be checked (" + DirectoryException.describe(e) + ")";
    }
    if (left.isEmpty()) {
      return "; nothing of it is left";
    }
    String what = String.join(" and ", left);
    // Loud: until an operator removes it, the member cannot use this username.
    log.error("a failed account creation left {} behind: remove it by hand", what);
    return "; undoing it left " + what + ", which an operator must remove by hand";
  }

  /** Whether the entry exists, as the service sees it. */
  private boolean exists(DN dn) throws LDAPException {
    return ldap.getEntry(dn.toString(), "1.1") != null;
  }

  private boolean inMembersGroup(String username) throws LDAPException {
    return inGroup(membersGroupDn, username);
  }

  private boolean inGroup(DN groupDn, String username) throws LDAPException {
    try {
      return ldap.compare(groupDn.toString(), "memberUid", username);
    } catch (LDAPException e) {
      if (e.getResultCode() == ResultCode.NO_SUCH_ATTRIBUTE // the group has no members
          || e.getResultCode() == ResultCode.NO_SUCH_OBJECT) { // or is not there at all
        return false;
      }
      throw e;
    }
  }

  @Override
  public boolean authenticate(String username, String password) {
    if (password.isEmpty()) {
      return false; // an empty password is an unauthenticated bind, which "succeeds"
    }
    SearchResultEntry user = findUser(username);
    if (user == null) {
      return false;
    }
    try {
      ldap.bindAndRevertAuthentication(user.getDN(), password);
      return true;
    } catch (LDAPException e) {
      if (e.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
        return false;
      }
      throw new DirectoryException("checking the password of " + username + " failed", e);
    }
  }

  @Override
  public void deleteAccount(String username) {
    // Both steps are tried whatever the other's fate, so one failure leaves as little as it can.
    DN dn = userDn(username);
    DirectoryException failure = null;
    try {
      ldap.delete(dn.toString());
    } catch (LDAPException e) {
      if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
        failure =
            new DirectoryException(
                "deleting " + dn + " failed",
                e,
                rights.lacking(e, "write access to the children of " + usersDn));
      }
    }
    try {
      removeFromGroup(username);
    } catch (LDAPException e) {
      DirectoryException group =
          new DirectoryException(
              "taking " + username + " out of " + membersGroupDn + " failed", e, groupRight(e));
      if (failure == null) {
        failure = group;
      } else {
        failure.addSuppressed(group);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  @Override
  public void setMail(String username, String mail) {
    replace(username, "setting the address of ", "mail", mail);
  }

  @Override
  public void setCommonName(String username, String commonName) {
    replace(username, "renaming ", "cn", commonName);
  }

  @Override
  public void setSurname(String username, String surname) {
    replace(username, "renaming ", "sn", surname);
  }

  @Override
  public boolean addSshPublicKey(String username, String line) {
    return keys.add(username, userDn(username), line);
  }

  @Override
  public boolean removeSshPublicKey(String username, String line) {
    return keys.remove(username, userDn(username), line);
  }

  @Override
  public void setSshPublicKeys(String username, List<String> lines) {
    keys.replace(username, userDn(username), lines);
  }

  @Override
  public boolean discordEnabled() {
    return discord.enabled();
  }

  @Override
  public void setDiscord(String username, @Nullable String value) {
    discord.set(username, userDn(username), value);
  }

  @Override
  public void linkMembership(String username, String wolvesId, boolean addToMembersGroup) {
    String attribute = settings.wolvesIdAttribute();
    String previous;
    try {
      SearchResultEntry entry = ldap.getEntry(userDn(username).toString(), attribute);
      if (entry == null) {
        throw new DirectoryException(
            "linking a membership to " + username + " failed: there is no such account",
            ResultCode.NO_SUCH_OBJECT);
      }
      previous = entry.getAttributeValue(attribute);
    } catch (LDAPException e) {
      throw new DirectoryException("reading the membership of " + username + " failed", e);
    }
    modify(
        username,
        "linking a membership to ",
        attribute,
        new Modification(ModificationType.REPLACE, attribute, wolvesId));
    if (!addToMembersGroup) {
      return;
    }
    try {
      addToMembersGroup(username);
    } catch (LDAPException e) {
      DirectoryException failure =
          new DirectoryException(
              "adding " + username + " to " + membersGroupDn + " failed", e, groupRight(e));
      try { // all or nothing: the entry goes back to the membership it had
        ldap.modify(
            userDn(username).toString(),
            previous == null
                ? new Modification(ModificationType.DELETE, attribute)
                : new Modification(ModificationType.REPLACE, attribute, previous));
      } catch (LDAPException undo) {
        failure.addSuppressed(undo);
        log.error(
            "could not set {} of {} back to {}: set it by hand", attribute, username, previous);
      }
      throw failure;
    }
  }

  /** Replaces every value of one attribute of the account with this one. */
  private void replace(String username, String doing, String attribute, String value) {
    modify(
        username, doing, attribute, new Modification(ModificationType.REPLACE, attribute, value));
  }

  private void modify(String username, String doing, String attribute, Modification... changes) {
    DN dn = userDn(username);
    try {
      ldap.modify(dn.toString(), changes);
    } catch (LDAPException e) {
      throw new DirectoryException(
          doing + username + " failed",
          e,
          rights.lacking(e, "write access to " + attribute + " of " + dn));
    }
  }

  @Override
  public Set<String> membersGroup() {
    return groupMembers(membersGroupDn);
  }

  @Override
  public Set<String> groupMembers(String groupDn) {
    return groupMembers(groupDnChecked(groupDn));
  }

  private Set<String> groupMembers(DN groupDn) {
    try {
      SearchResultEntry group = ldap.getEntry(groupDn.toString(), "memberUid");
      if (group == null) {
        throw new DirectoryException(
            "reading the group failed: there is no entry " + groupDn, ResultCode.NO_SUCH_OBJECT);
      }
      String[] values = group.getAttributeValues("memberUid");
      return values == null ? Set.of() : Set.of(values);
    } catch (LDAPException e) {
      throw new DirectoryException("reading the group " + groupDn + " failed", e);
    }
  }

  @Override
  public void setInMembersGroup(String username, boolean member) {
    setInGroup(membersGroupDn, username, member);
  }

  private void setInGroup(DN groupDn, String username, boolean member) {
    try {
      if (member) {
        addToGroup(groupDn, username);
      } else {
        removeFromGroup(groupDn, username);
      }
    } catch (LDAPException e) {
      throw new DirectoryException(
          (member ? "adding " + username + " to " : "taking " + username + " out of ")
              + groupDn
              + " failed",
          e,
          groupRight(groupDn, e));
    }
  }

  @Override
  public void changeMembersGroup(Collection<String> join, Collection<String> leave) {
    changeGroup(membersGroupDn, join, leave);
  }

  @Override
  public void changeGroup(String groupDn, Collection<String> join, Collection<String> leave) {
    changeGroup(groupDnChecked(groupDn), join, leave);
  }

  private void changeGroup(DN groupDn, Collection<String> join, Collection<String> leave) {
    List<Modification> changes = new ArrayList<>();
    if (!join.isEmpty()) {
      changes.add(new Modification(ModificationType.ADD, "memberUid", join.toArray(String[]::new)));
    }
    if (!leave.isEmpty()) {
      changes.add(
          new Modification(ModificationType.DELETE, "memberUid", leave.toArray(String[]::new)));
    }
    if (changes.isEmpty()) {
      return;
    }
    try {
      ldap.modify(groupDn.toString(), changes.toArray(Modification[]::new));
      return;
    } catch (LDAPException e) {
      if (e.getResultCode() != ResultCode.ATTRIBUTE_OR_VALUE_EXISTS
          && e.getResultCode() != ResultCode.NO_SUCH_ATTRIBUTE) {
        throw new DirectoryException(
            "changing the members of " + groupDn + " failed", e, groupRight(groupDn, e));
      }
    }
    // The group changed since it was read: the whole change was refused, so one at a time.
    leave.forEach(username -> setInGroup(groupDn, username, false));
    join.forEach(username -> setInGroup(groupDn, username, true));
  }

  /**
   * The DN, if it is one of the groups this service keeps: nothing else's members are its to
   * change.
   */
  private DN groupDnChecked(String groupDn) {
    if (!settings.roleGroups().containsValue(groupDn)
        && !groupDn.equals(settings.membersGroupDn())) {
      throw new IllegalArgumentException(groupDn + " is not a group this service keeps");
    }
    try {
      return new DN(groupDn);
    } catch (LDAPException e) {
      throw new IllegalArgumentException(groupDn + " is not a DN", e);
    }
  }

  @Override
  public void setLoginShells(Map<String, String> shells) {
    if (shells.isEmpty()) {
      return;
    }
    ExecutorService threads =
        Executors.newFixedThreadPool(Math.min(settings.poolSize(), shells.size()));
    try {
      List<Future<?>> writes = new ArrayList<>();
      shells.forEach(
          (username, shell) -> writes.add(threads.submit(() -> setLoginShell(username, shell))));
      DirectoryException first = null;
      for (Future<?> write : writes) {
        try {
          write.get();
        } catch (ExecutionException e) {
          DirectoryException failure =
              e.getCause() instanceof DirectoryException d
                  ? d
                  : new DirectoryException(
                      "setting a login shell failed: " + e.getCause(), ResultCode.OTHER);
          if (first == null) {
            first = failure;
          } else {
            first.addSuppressed(failure);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new DirectoryException(
              "setting the login shells was interrupted", ResultCode.OTHER);
        }
      }
      if (first != null) {
        throw first;
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Override
  public Map<String, String> loginShells() {
    Map<String, String> shells = new HashMap<>();
    try {
      ldap.searchPages(
          new SearchRequest(
              usersDn.toString(),
              SearchScope.ONE,
              Filter.createPresenceFilter("uid"),
              "uid",
              "loginShell"),
          entry ->
              shells.put(
                  entry.getAttributeValue("uid"),
                  Objects.requireNonNullElse(entry.getAttributeValue("loginShell"), "")));
    } catch (LDAPException e) {
      throw new DirectoryException("reading the login shells under " + usersDn + " failed", e);
    }
    return shells;
  }

  @Override
  public void setLoginShell(String username, String shell) {
    replace(username, "setting the login shell of ", "loginShell", shell);
  }

  /** Whether the entry at the DN exists and carries this Wolves id. */
  private boolean isOurs(DN dn, String wolvesId) throws LDAPException {
    SearchResultEntry entry = ldap.getEntry(dn.toString(), settings.wolvesIdAttribute());
    return entry != null && wolvesId.equals(entry.getAttributeValue(settings.wolvesIdAttribute()));
  }

  /** Puts the username in the members group; being there already (a leftover) is fine. */
  private void addToMembersGroup(String username) throws LDAPException {
    addToGroup(membersGroupDn, username);
  }

  private void addToGroup(DN groupDn, String username) throws LDAPException {
    try {
      ldap.modify(
          groupDn.toString(), new Modification(ModificationType.ADD, "memberUid", username));
    } catch (LDAPException e) {
      if (e.getResultCode() != ResultCode.ATTRIBUTE_OR_VALUE_EXISTS) {
        throw e;
      }
    }
  }

  private void removeFromGroup(String username) throws LDAPException {
    removeFromGroup(membersGroupDn, username);
  }

  /**
   * Takes the username out of the group; not being in it is fine. OpenLDAP checks the right to
   * write before it checks the value is there, so a refusal is looked into: it stands unless a
   * compare (which fails loudly where it is not allowed either) says the value is absent.
   */
  private void removeFromGroup(DN groupDn, String username) throws LDAPException {
    try {
      ldap.modify(
          groupDn.toString(), new Modification(ModificationType.DELETE, "memberUid", username));
    } catch (LDAPException e) {
      if (e.getResultCode() == ResultCode.NO_SUCH_ATTRIBUTE
          || e.getResultCode() == ResultCode.NO_SUCH_OBJECT) {
        return;
      }
      try {
        if (!inGroup(groupDn, username)) {
          return;
        }
      } catch (LDAPException cannotTell) {
        e.addSuppressed(cannotTell);
      }
      throw e;
    }
  }

  private DN userDn(String username) {
    return new DN(new RDN("uid", username), usersDn);
  }

  /**
   * The auxiliary class that lets an entry hold this attribute, as the service would add it with
   * the value; null when the schema has no such attribute or no such class. For doctor.
   */
  public static @Nullable String auxiliaryClassAllowing(
      com.unboundid.ldap.sdk.schema.Schema schema, String attribute) {
    var type = schema.getAttributeType(attribute);
    return type == null ? null : DiscordAttribute.auxiliaryClassAllowing(schema, type);
  }

  /** For tests in this package: the pool, to look at its connections. */
  LDAPConnectionPool pool() {
    return pool;
  }

  @Override
  public void close() {
    pool.close();
  }
}
