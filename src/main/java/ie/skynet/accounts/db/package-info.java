/**
 * The database: connections with the pragmas SQLite needs, Flyway migrations, and the adoption of
 * databases made by the society's previous backend.
 */
@NullMarked
package ie.skynet.accounts.db;

import org.jspecify.annotations.NullMarked;
