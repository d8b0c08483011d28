/**
 * Wolves memberships and the accounts made from them: the two sources (the CSV export, streamed,
 * and the Wolves API, read whole), row validation, the all-or-nothing import into {@code
 * accounts_wolves}, the history of every import run, and {@link
 * ie.skynet.accounts.membership.Memberships}, the one owner of {@code accounts_wolves} and {@code
 * accounts}. Below the features, which look members and their accounts up here.
 */
@NullMarked
package ie.skynet.accounts.membership;

import org.jspecify.annotations.NullMarked;
