/**
 * The page templates (src/main/jte/pages, compiled at build time into the {@code pages} package
 * here) and the one way to render them, shared by the web layer, the features' routes and dev.
 */
@NullMarked
package ie.skynet.accounts.templates;

import org.jspecify.annotations.NullMarked;
