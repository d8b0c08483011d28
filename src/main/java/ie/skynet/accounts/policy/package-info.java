/**
 * Rules more than one feature applies: what a password must be, and how often a client or an
 * address may ask for something. Below the features: it depends on none of them.
 */
@NullMarked
package ie.skynet.accounts.policy;

import org.jspecify.annotations.NullMarked;
