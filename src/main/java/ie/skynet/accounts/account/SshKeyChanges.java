package ie.skynet.accounts.account;

import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.directory.Directory;
import ie.skynet.accounts.directory.Profile;
import ie.skynet.accounts.templates.Mails;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A member's SSH public keys: listed with fingerprints, added one at a time after {@link
 * SshPublicKeys} accepts them, removed. Each change is audited and told to the member by mail,
 * since a key added by someone else is a way into every shell server.
 */
public final class SshKeyChanges {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(SshKeyChanges.class);

  /** More than any member needs; it bounds the entry and the work of checking a signature. */
  static final int MAX_KEYS = 32;

  private final Database database;
  private final Directory directory;
  private final AuditLog audit;
  private final Mails mails;
  private final Clock clock;

  public SshKeyChanges(
      Database database, Directory directory, AuditLog audit, Mails mails, Clock clock) {
    this.database = database;
    this.directory = directory;
    this.audit = audit;
    this.mails = mails;
    this.clock = clock;
  }

  /**
   * A stored key as the account page shows it.
   *
   * @param line the value as stored in {@code sshPublicKey}, which removing it names
   * @param key the key, or null if the stored value is not one we accept (added by hand, or under
   *     older rules): it can still be removed
   */
  public record StoredKey(String line, @Nullable SshKey key) {}

  /** The account's keys, in the directory's order. */
  public List<StoredKey> list(String username) {
    return directory.profile(username).map(SshKeyChanges::stored).orElse(List.of());
  }

  static List<StoredKey> stored(Profile profile) {
    List<StoredKey> keys = new ArrayList<>();
    for (String line : profile.sshPublicKeys()) {
      keys.add(
          new StoredKey(
              line,
              SshPublicKeys.check(line) instanceof SshKeyCheck.Accepted accepted
                  ? accepted.key()
                  : null));
    }
    return keys;
  }

  /** The keys of the account that {@link SshPublicKeys} accepts, for checking signatures. */
  static List<SshKey> usable(Profile profile) {
    List<SshKey> keys = new ArrayList<>();
    for (StoredKey stored : stored(profile)) {
      if (stored.key() != null) {
        keys.add(stored.key());
      }
    }
    return keys;
  }

  /** How adding a key ended. */
  public sealed interface Addition {
    record Added(SshKey key) implements Addition {}

    /** The account has this key already (perhaps with another comment). */
    record AlreadyThere(SshKey key) implements Addition {}

    record Rejected(String reason) implements Addition {}
  }

  public Addition add(String username, String pasted, String client) {
    SshKey key;
    switch (SshPublicKeys.check(pasted)) {
      case SshKeyCheck.Rejected rejected -> {
        return new Addition.Rejected(rejected.reason());
      }
      case SshKeyCheck.Accepted accepted -> key = accepted.key();
    }
    List<StoredKey> existing = list(username);
    if (existing.stream()
        .anyMatch(s -> s.key() != null && s.key().fingerprint().equals(key.fingerprint()))) {
      return new Addition.AlreadyThere(key);
    }
    if (existing.size() >= MAX_KEYS) {
      return new Addition.Rejected(
          "An account holds at most " + MAX_KEYS + " keys: remove one you no longer use first.");
    }
    if (!directory.addSshPublicKey(username, key.authorizedKeysLine())) {
      return new Addition.AlreadyThere(key);
    }
    try {
      changed(username, client, List.of(key.fingerprint() + " (" + describe(key) + ")"), List.of());
    } catch (RuntimeException e) {
      // No key without its audit entry and the mail that would tell the member of it.
      undo(e, () -> directory.removeSshPublicKey(username, key.authorizedKeysLine()));
      throw e;
    }
    return new Addition.Added(key);
  }

  /**
   * Removes the stored value exactly as listed.
   *
   * @return false if the account had no such key (removed meanwhile, in another tab)
   */
  public boolean remove(String username, String line, String client) {
    if (!directory.removeSshPublicKey(username, line)) {
      return false;
    }
    try {
      changed(username, client, List.of(), List.of(label(line)));
    } catch (RuntimeException e) {
      undo(e, () -> directory.addSshPublicKey(username, line));
      throw e;
    }
    return true;
  }

  /** How replacing every key at once (the JSON API's way) ended. */
  public sealed interface Replacement {
    record Replaced(int added, int removed) implements Replacement {}

    record Rejected(String reason) implements Replacement {}
  }

  /**
   * Makes the account's keys those given, one per line (blank lines ignored): keys already there
   * (by fingerprint) stay as stored, others are added, the rest removed. Nothing changes unless
   * every line is accepted.
   */
  public Replacement replaceAll(String username, String lines, String client) {
    Map<String, SshKey> wanted = new LinkedHashMap<>();
    String[] given = lines.split("\r?\n", -1);
    for (int i = 0; i < given.length; i++) {
      if (given[i].isBlank()) {
        continue;
      }
      switch (SshPublicKeys.check(given[i])) {
        case SshKeyCheck.Accepted accepted ->
            wanted.putIfAbsent(accepted.key().fingerprint(), accepted.key());
        case SshKeyCheck.Rejected rejected -> {
          return new Replacement.Rejected("line " + (i + 1) + ": " + rejected.reason());
        }
      }
    }
    if (wanted.size() > MAX_KEYS) {
      return new Replacement.Rejected(
          "An account holds at most " + MAX_KEYS + " keys; this gives " + wanted.size());
    }
    List<StoredKey> before = list(username);
    List<String> after = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    for (StoredKey stored : before) {
      if (stored.key() != null && wanted.remove(stored.key().fingerprint()) != null) {
        after.add(stored.line()); // kept as it is
      } else {
        removed.add(label(stored.line()));
      }
    }
    List<String> added = new ArrayList<>();
    for (SshKey key : wanted.values()) {
      after.add(key.authorizedKeysLine());
      added.add(key.fingerprint() + " (" + describe(key) + ")");
    }
    if (added.isEmpty() && removed.isEmpty()) {
      return new Replacement.Replaced(0, 0);
    }
    directory.setSshPublicKeys(username, after); // one change: all of it or none
    try {
      changed(username, client, added, removed);
    } catch (RuntimeException e) {
      undo(
          e,
          () ->
              directory.setSshPublicKeys(username, before.stream().map(StoredKey::line).toList()));
      throw e;
    }
    return new Replacement.Replaced(added.size(), removed.size());
  }

  /** Puts the directory back after a change that could not be recorded, as far as it can. */
  private static void undo(RuntimeException cause, Runnable putBack) {
    try {
      putBack.run();
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
      log.error("an SSH key change could not be recorded nor undone: check the entry by hand", e);
    }
  }

  /** How a stored value is named in mail and the audit log: its fingerprint when it has one. */
  private static String label(String line) {
    return SshPublicKeys.check(line) instanceof SshKeyCheck.Accepted accepted
        ? accepted.key().fingerprint() + " (" + describe(accepted.key()) + ")"
        : "a key not in a form we accept";
  }

  static String describe(SshKey key) {
    String what = key.type() + ", " + key.bits() + " bits";
    return key.comment() == null ? what : what + ", " + key.comment();
  }

  private void changed(String username, String client, List<String> added, List<String> removed) {
    Optional<Profile> profile = directory.profile(username);
    String mail = profile.map(Profile::mail).orElse(null);
    database.runInTransaction(
        "recording the SSH key change of " + username,
        connection -> {
          for (String key : added) {
            audit.record(
                connection,
                new AuditLog.Entry(
                    username, "ssh-key-added", username, client, AuditLog.Outcome.DONE, key));
          }
          for (String key : removed) {
            audit.record(
                connection,
                new AuditLog.Entry(
                    username, "ssh-key-removed", username, client, AuditLog.Outcome.DONE, key));
          }
          mails.queueIfDeliverable(
              connection,
              mail,
              new AccountMail.SshKeysChanged(
                  username, added, removed, mails.time(clock.instant())));
        });
  }
}
