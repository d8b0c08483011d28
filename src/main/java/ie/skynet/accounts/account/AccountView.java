package ie.skynet.accounts.account;

import java.time.LocalDate;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An account as its owner sees it on the account page.
 *
 * @param membershipExpiry null when no membership is linked to the account
 * @param discord the linked Discord account; null when none is set
 * @param discordEnabled whether the directory holds Discord accounts at all
 */
public record AccountView(
    String username,
    String name,
    @Nullable String email,
    List<SshKeyChanges.StoredKey> sshKeys,
    @Nullable LocalDate membershipExpiry,
    boolean membershipCurrent,
    @Nullable String discord,
    boolean discordEnabled) {}
