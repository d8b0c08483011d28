/**
 * Mailed single-use links (signup, password reset, address change): purpose-bound, stored only as
 * their token's SHA-256, expiring, spent once, and spent in bulk when an account changes; and the
 * bearer tokens the service hands out. Owns the {@code links} table. Below the features.
 */
@NullMarked
package ie.skynet.accounts.links;

import org.jspecify.annotations.NullMarked;
