/**
 * What features need to know of the web without depending on the web server: what the server tells
 * the routes behind it about each request, and the configured base URL that links in mail start
 * from. It sits below the features; it depends on no feature and no front.
 */
@NullMarked
package ie.skynet.accounts.http;

import org.jspecify.annotations.NullMarked;
