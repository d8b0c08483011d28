/**
 * Wolves memberships: the CSV source, row validation, the all-or-nothing import into {@code
 * accounts_wolves}, and the history of every import run.
 */
@NullMarked
package ie.skynet.accounts.membership;

import org.jspecify.annotations.NullMarked;
