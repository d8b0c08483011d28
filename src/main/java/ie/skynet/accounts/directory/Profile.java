package ie.skynet.accounts.directory;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the directory holds about an account that its owner sees.
 *
 * @param discord the member's Discord account; null when none is set or the directory has none
 * @param loginShell the account's login shell; empty if it has none
 */
public record Profile(
    String username,
    String commonName,
    @Nullable String mail,
    List<String> sshPublicKeys,
    @Nullable String discord,
    String loginShell) {}
