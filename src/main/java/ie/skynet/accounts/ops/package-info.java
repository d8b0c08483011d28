/**
 * Operations: {@code accounts doctor}, which checks every dependency the service has and says which
 * is broken and why; {@code preflight}, a rehearsal of a real signup; {@code /health/ready}; and
 * {@code /metrics} in the Prometheus text format.
 */
@NullMarked
package ie.skynet.accounts.ops;

import org.jspecify.annotations.NullMarked;
