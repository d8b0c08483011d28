/**
 * The JSON API of the society's previous backend ({@code /ldap/...}), so its web front-end works
 * against this service: the same routes and fields, over the same services as the pages, with the
 * same limits, enumeration rules and audit, but with errors that say what went wrong.
 */
@NullMarked
package ie.skynet.accounts.api;

import org.jspecify.annotations.NullMarked;
