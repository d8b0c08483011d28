/**
 * The requests answered by mail (a signup link, a forgotten username, a password reset): recorded
 * the same whatever was asked, with group commit, and answered by one background loop, each kind by
 * the feature that knows its answer. Owns the {@code asks} table. Below the features.
 */
@NullMarked
package ie.skynet.accounts.asks;

import org.jspecify.annotations.NullMarked;
