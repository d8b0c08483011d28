/**
 * Operations: what tells operators how the service is doing. So far {@code /metrics}, in the
 * Prometheus text format; doctor, preflight and the readiness check will live here too.
 */
@NullMarked
package ie.skynet.accounts.ops;

import org.jspecify.annotations.NullMarked;
