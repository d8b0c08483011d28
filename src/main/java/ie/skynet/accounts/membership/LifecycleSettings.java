package ie.skynet.accounts.membership;

import java.time.Duration;
import java.util.Set;

/**
 * Who keeps access, and when it goes: the rules {@code sync-groups} applies to the members group
 * and the login shells, and who may log in besides the accounts the service made.
 *
 * @param admins usernames that may log in though the service did not make their entries, and use
 *     the admin pages; the admins group ({@code ldap.admins-group-dn}) holds them
 * @param committee usernames the committee group ({@code ldap.committee-group-dn}) holds
 * @param lifetime usernames in the members group whatever their membership says
 * @param banned usernames never in the members group, whatever their membership says
 * @param graceDays days after its expiry that a membership still counts as current
 * @param disabledShell the login shell of an account that has lost access
 * @param maxDeactivateShare the largest share of the members group one sync may take out unless
 *     forced: a wrong import should not lock the society out
 * @param syncPeriod how often {@code serve} syncs the groups
 */
public record LifecycleSettings(
    Set<String> admins,
    Set<String> committee,
    Set<String> lifetime,
    Set<String> banned,
    int graceDays,
    String disabledShell,
    double maxDeactivateShare,
    Duration syncPeriod) {}
