/**
 * What the web server tells the routes behind it about each request. It sits below the features so
 * that their routes can read it without depending on the web server; it depends on no feature and
 * no front.
 */
@NullMarked
package ie.skynet.accounts.http;

import org.jspecify.annotations.NullMarked;
