/**
 * The composition root: reads the configuration and wires every service with {@code new}. Nothing
 * else depends on this package.
 */
@NullMarked
package ie.skynet.accounts.app;

import org.jspecify.annotations.NullMarked;
