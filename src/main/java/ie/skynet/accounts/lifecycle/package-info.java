/**
 * Access follows membership: {@code sync-groups} puts the members group, the login shells and the
 * accounts' status in step with the memberships (the rows are {@code membership}'s, the entries
 * {@code directory}'s).
 */
@NullMarked
package ie.skynet.accounts.lifecycle;

import org.jspecify.annotations.NullMarked;
