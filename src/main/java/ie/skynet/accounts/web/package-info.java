/**
 * Shared HTTP plumbing: the server, security headers, CSRF protection, the client's address, and
 * error pages. Feature routes plug in as {@code Consumer<RoutesConfig>} and read two request
 * attributes this package sets on every request: {@value WebServer#CSRF_ATTRIBUTE} (the token every
 * form posts back in a field of that name) and {@value WebServer#CLIENT_ATTRIBUTE}.
 */
@NullMarked
package ie.skynet.accounts.web;

import org.jspecify.annotations.NullMarked;
