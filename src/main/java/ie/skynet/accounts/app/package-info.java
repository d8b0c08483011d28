/**
 * The composition root: reads the configuration and wires every service with {@code new}, in {@code
 * App}. Beside it, what runs {@code serve} and {@code dev} from start to stop (the lifecycle, the
 * background thread, dev's embedded stack and its guide). Nothing else depends on this package.
 */
@NullMarked
package ie.skynet.accounts.app;

import org.jspecify.annotations.NullMarked;
