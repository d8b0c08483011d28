/**
 * Operations: {@code accounts doctor}, which checks every dependency the service has and says which
 * is broken and why, and what {@code /health/ready} reports.
 */
@NullMarked
package ie.skynet.accounts.ops;

import org.jspecify.annotations.NullMarked;
