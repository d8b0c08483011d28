/**
 * Shared HTTP plumbing: the server, security headers, CSRF protection, the client's address, and
 * error pages. Feature routes plug in as {@code Consumer<RoutesConfig>} and read what this package
 * puts on every request, the client's address and the form token, through {@link
 * ie.skynet.accounts.http.RequestAttributes}, which sits below the features.
 */
@NullMarked
package ie.skynet.accounts.web;

import org.jspecify.annotations.NullMarked;
