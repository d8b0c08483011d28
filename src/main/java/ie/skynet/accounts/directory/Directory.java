package ie.skynet.accounts.directory;

/** The society's account directory, as the rest of the service sees it. */
public interface Directory {

  /**
   * Reads the users entry over the service's connections: proves the directory answers and the
   * service is bound. For readiness probes.
   *
   * @throws DirectoryException if it does not
   */
  void ping();

  /** Whether an account already holds this username, compared ignoring case. */
  boolean usernameTaken(String username);

  /** How creating an account ended, when nothing went wrong. */
  sealed interface Creation {
    /** Made whole: entry, password and members group. */
    record Created(int uidNumber) implements Creation {}

    /** Another entry holds the username already; nothing was made. */
    record UsernameTaken() implements Creation {}
  }

  /**
   * Creates the account whole: entry, password (hashed by the server) and members group. If any
   * step fails the steps already done are undone, and a {@link DirectoryException} says why and
   * what, if anything, is left.
   */
  Creation createAccount(NewAccount account, String password);

  /** Whether the username and password bind; an empty password is refused without a bind. */
  boolean authenticate(String username, String password);

  /** The account's entry as its owner sees it; empty if there is no such account. */
  java.util.Optional<Profile> profile(String username);

  /** Sets a new password with the Password Modify operation, so the server hashes it. */
  void setPassword(String username, String password);

  /** Replaces the account's contact address ({@code mail}). */
  void setMail(String username, String mail);

  /** Replaces the account's full name ({@code cn}). */
  void setCommonName(String username, String commonName);

  /** Replaces the account's surname ({@code sn}). */
  void setSurname(String username, String surname);

  /**
   * Adds one {@code sshPublicKey} value, as given.
   *
   * @return false if the account already had exactly this value
   */
  boolean addSshPublicKey(String username, String line);

  /**
   * Removes one {@code sshPublicKey} value, as stored.
   *
   * @return false if the account had no such value
   */
  boolean removeSshPublicKey(String username, String line);

  /** Replaces every {@code sshPublicKey} value with these, in one change; none removes them all. */
  void setSshPublicKeys(String username, java.util.List<String> lines);

  /**
   * Whether the directory holds members' Discord accounts: the service is configured with an
   * attribute for it ({@code ldap.discord-attribute}) and the directory's schema has it.
   */
  boolean discordEnabled();

  /**
   * Sets the account's Discord account, or removes it when the value is null or blank.
   *
   * @throws DirectoryException if {@link #discordEnabled()} is false
   */
  void setDiscord(String username, @org.jspecify.annotations.Nullable String value);

  /**
   * Links the account to another Wolves membership (its id attribute) and, if asked, puts it in the
   * members group; being in the group already is fine.
   */
  void linkMembership(String username, String wolvesId, boolean addToMembersGroup);

  /** The usernames in the members group ({@code memberUid}). */
  java.util.Set<String> membersGroup();

  /**
   * Puts the username in the members group, or takes it out; being there already, or not being
   * there, is fine.
   */
  void setInMembersGroup(String username, boolean member);

  /**
   * Puts these usernames in the members group and takes those out, in one change when the group is
   * as it was read; else one username at a time, each of which may be there already or gone.
   */
  void changeMembersGroup(java.util.Collection<String> join, java.util.Collection<String> leave);

  /** The usernames in this group ({@code memberUid}): the admins' or committee's group. */
  java.util.Set<String> groupMembers(String groupDn);

  /** As {@link #changeMembersGroup}, for another group the service keeps. */
  void changeGroup(
      String groupDn, java.util.Collection<String> join, java.util.Collection<String> leave);

  /** Every entry under the users OU, by username, with its login shell (empty if it has none). */
  java.util.Map<String, String> loginShells();

  /** Replaces the account's login shell. */
  void setLoginShell(String username, String shell);

  /**
   * Replaces the login shells of these accounts, several at once over the service's connections.
   * Each is a change of its own: if one fails, the others may be made, and the first failure is
   * thrown once all have been tried.
   */
  void setLoginShells(java.util.Map<String, String> shells);

  /** Removes the account and its group membership; nothing happens if it does not exist. */
  void deleteAccount(String username);
}
