package ie.skynet.accounts.lifecycle;

import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.directory.Directory;
import ie.skynet.accounts.membership.LifecycleSettings;
import ie.skynet.accounts.membership.Memberships;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Puts the members group, the login shells and the accounts' status in step with the memberships,
 * changing only what differs. An account is in the members group while its membership is current
 * ({@code lifecycle.grace-days} included) and no admin disabled it; lifetime members always are,
 * banned ones never. One that is not gets the disabled shell; one that is again gets its shell
 * back. Accounts are never deleted.
 *
 * <p>The admins' and the committee's groups, when configured, hold exactly the usernames the
 * configuration lists ({@code lifecycle.admins}, {@code lifecycle.committee}), less any account an
 * admin disabled; membership does not enter into it.
 *
 * @param loginShell the shell an account gets back when it regains access ({@code
 *     ldap.login-shell})
 * @param roleGroups the admins' and the committee's groups the service keeps, by name ({@code
 *     admins}, {@code committee}) to DN; empty when it keeps none
 */
public record GroupSync(
    Database database,
    Memberships memberships,
    Directory directory,
    AuditLog audit,
    LifecycleSettings settings,
    String loginShell,
    Map<String, String> roleGroups,
    Clock clock) {

  /** The name of the job: the command, the actor of its audit entries, its lease. */
  public static final String JOB = "sync-groups";

  /** An attribute of one account that a sync changes. */
  public record Change(String username, String from, String to) {}

  /**
   * What changes in the admins' or the committee's group.
   *
   * @param group {@code admins} or {@code committee}
   */
  public record RoleChange(String group, String dn, List<String> join, List<String> leave) {}

  /**
   * What a sync would change.
   *
   * @param join usernames the members group gains
   * @param leave usernames the members group loses
   * @param shells login shells that change
   * @param statuses account statuses that change ({@code active}, {@code expired})
   * @param groupBefore how many the members group holds now
   * @param roles what changes in the admins' and the committee's groups (only those that change)
   */
  public record Plan(
      List<String> join,
      List<String> leave,
      List<Change> shells,
      List<Change> statuses,
      int groupBefore,
      List<RoleChange> roles) {
    /** How many changes: each is one write. */
    public int changes() {
      return join.size() + leave.size() + shells.size() + statuses.size() + roleChanges();
    }

    private int roleChanges() {
      return roles.stream().mapToInt(r -> r.join().size() + r.leave().size()).sum();
    }

    /** The changes counted, in words. */
    public String summary() {
      return String.format(
              "%d joined, %d left, %d shells and %d statuses changed",
              join.size(), leave.size(), shells.size(), statuses.size())
          + (roleChanges() == 0 ? "" : ", " + roleChanges() + " admins/committee changes");
    }

    /** The share of the members group this sync takes out. */
    public double leavingShare() {
      return groupBefore == 0 ? 0 : (double) leave.size() / groupBefore;
    }
  }

  /** How a sync ended. */
  public sealed interface Outcome {
    Plan plan();

    /** Every change made (none when there was nothing to change). */
    record Applied(Plan plan) implements Outcome {}

    /** Nothing changed: asked only to look. */
    record DryRun(Plan plan) implements Outcome {}

    /** Nothing changed: it would take out more of the members group than allowed. */
    record Refused(Plan plan, String reason) implements Outcome {}
  }

  /** The earliest expiry that still counts as current today. */
  private LocalDate firstCurrent() {
    return LocalDate.now(clock).minusDays(settings.graceDays());
  }

  private boolean isCurrent(Memberships.Standing account, LocalDate firstCurrent) {
    return settings.lifetime().contains(account.username())
        || (account.expiry() != null && !account.expiry().isBefore(firstCurrent));
  }

  /** Works out what differs, changing nothing. */
  public Plan plan() {
    LocalDate firstCurrent = firstCurrent();
    List<Memberships.Standing> accounts = memberships.standings();
    Set<String> wanted = new TreeSet<>(settings.lifetime());
    List<Change> statuses = new ArrayList<>();
    for (Memberships.Standing account : accounts) {
      String username = account.username();
      if (account.disabled()) {
        wanted.remove(username); // disabled outranks lifetime
        continue;
      }
      boolean current = isCurrent(account, firstCurrent);
      if (current) {
        wanted.add(username);
      }
      String status = current ? "active" : "expired";
      if (!status.equals(account.status())) {
        statuses.add(new Change(username, account.status(), status));
      }
    }
    wanted.removeAll(settings.banned());

    Set<String> group = directory.membersGroup();
    List<String> join = wanted.stream().filter(u -> !group.contains(u)).toList();
    List<String> leave = group.stream().filter(u -> !wanted.contains(u)).sorted().toList();

    Map<String, String> shells = directory.loginShells();
    List<Change> shellChanges = new ArrayList<>();
    for (Memberships.Standing account : accounts) {
      String shell = shells.get(account.username());
      if (shell == null) {
        continue; // no entry: nothing to give a shell to
      }
      boolean access = wanted.contains(account.username());
      if (!access && !shell.equals(settings.disabledShell())) {
        shellChanges.add(new Change(account.username(), shell, settings.disabledShell()));
      } else if (access && shell.equals(settings.disabledShell())) {
        shellChanges.add(new Change(account.username(), shell, loginShell));
      }
    }
    Set<String> disabled = new TreeSet<>();
    accounts.stream()
        .filter(Memberships.Standing::disabled)
        .forEach(a -> disabled.add(a.username()));
    List<RoleChange> roles = new ArrayList<>();
    roleGroups.forEach(
        (name, dn) -> {
          Set<String> want = new TreeSet<>(listOf(name));
          want.removeAll(disabled);
          Set<String> has = directory.groupMembers(dn);
          List<String> in = want.stream().filter(u -> !has.contains(u)).toList();
          List<String> out = has.stream().filter(u -> !want.contains(u)).sorted().toList();
          if (!in.isEmpty() || !out.isEmpty()) {
            roles.add(new RoleChange(name, dn, in, out));
          }
        });
    return new Plan(join, leave, shellChanges, statuses, group.size(), roles);
  }

  /**
   * Works out what differs and, unless asked only to look, changes it: the directory first (the
   * members group in one change, the shells several at once), then the accounts' status and the
   * audit log in one transaction. A failure half-way leaves what was done done; the next sync
   * finishes the rest, since it changes only what still differs.
   *
   * @param force take out more of the members group than {@code lifecycle.max-deactivate-share}
   */
  public Outcome run(boolean dryRun, boolean force) {
    Plan plan = plan();
    java.util.Optional<RoleChange> emptied =
        plan.roles().stream()
            .filter(r -> !r.leave().isEmpty() && listOf(r.group()).isEmpty())
            .findFirst();
    if (!force && emptied.isPresent()) {
      return new Outcome.Refused(
          plan,
          "it would empty the "
              + emptied.get().group()
              + " group "
              + emptied.get().dn()
              + " (lifecycle."
              + emptied.get().group()
              + " lists nobody); list its members, or give --force if it should be empty");
    }
    if (!force && plan.leavingShare() > settings.maxDeactivateShare()) {
      return new Outcome.Refused(
          plan,
          String.format(
              "it would take %d of the %d in the members group out (%.1f%%), more than"
                  + " lifecycle.max-deactivate-share (%.1f%%); check the last import, then give"
                  + " --force if it is right",
              plan.leave().size(),
              plan.groupBefore(),
              100 * plan.leavingShare(),
              100 * settings.maxDeactivateShare()));
    }
    if (dryRun) {
      return new Outcome.DryRun(plan);
    }
    directory.changeMembersGroup(plan.join(), plan.leave());
    plan.roles().forEach(role -> directory.changeGroup(role.dn(), role.join(), role.leave()));
    Map<String, String> shells = new LinkedHashMap<>();
    plan.shells().forEach(change -> shells.put(change.username(), change.to()));
    directory.setLoginShells(shells);
    database.runInTransaction(
        "recording the group sync",
        c -> {
          for (Change status : plan.statuses()) {
            memberships.setStatusByMembership(c, status.username(), status.to().equals("active"));
          }
          for (String username : plan.leave()) {
            audit.record(c, entry("access-removed", username, "left the members group"));
          }
          for (String username : plan.join()) {
            audit.record(c, entry("access-restored", username, "joined the members group"));
          }
          for (RoleChange role : plan.roles()) {
            for (String username : role.leave()) {
              audit.record(c, entry("group-left", username, "left the " + role.group() + " group"));
            }
            for (String username : role.join()) {
              audit.record(
                  c, entry("group-joined", username, "joined the " + role.group() + " group"));
            }
          }
          audit.record(c, entry("groups-synced", AuditLog.ANONYMOUS, plan.summary()));
        });
    return new Outcome.Applied(plan);
  }

  /**
   * Puts one account in step now, by the same rules as a whole sync: its place in the members
   * group, its login shell and its status. For an admin's change to one account, which should not
   * wait for the next sync, nor apply everyone else's changes (or be refused for them).
   *
   * @return whether the account now has access
   * @throws IllegalArgumentException if the service made no account of that name
   */
  public boolean applyTo(String username) {
    Memberships.Standing account =
        memberships
            .standing(username)
            .orElseThrow(() -> new IllegalArgumentException("there is no account " + username));
    boolean current = isCurrent(account, firstCurrent());
    boolean access = !account.disabled() && current && !settings.banned().contains(username);
    // The service's own record first: if the directory then fails, the status is right and the
    // next sync finishes the directory.
    if (!account.disabled()) {
      database.runInTransaction(
          "recording the status of " + username,
          c -> memberships.setStatusByMembership(c, username, current));
    }
    directory.setInMembersGroup(username, access);
    roleGroups.forEach(
        (name, dn) -> {
          boolean listed = listOf(name).contains(username) && !account.disabled();
          if (listed != directory.groupMembers(dn).contains(username)) {
            directory.changeGroup(
                dn, listed ? List.of(username) : List.of(), listed ? List.of() : List.of(username));
          }
        });
    directory
        .profile(username)
        .ifPresent(
            profile -> {
              boolean disabledShell = profile.loginShell().equals(settings.disabledShell());
              if (access == disabledShell) {
                directory.setLoginShell(username, access ? loginShell : settings.disabledShell());
              }
            });
    return access;
  }

  private java.util.Set<String> listOf(String roleGroup) {
    return roleGroup.equals("admins") ? settings.admins() : settings.committee();
  }

  private static AuditLog.Entry entry(String action, String target, String detail) {
    return new AuditLog.Entry(JOB, action, target, "-", AuditLog.Outcome.DONE, detail);
  }
}
