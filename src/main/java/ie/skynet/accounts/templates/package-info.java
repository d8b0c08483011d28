/**
 * The page templates (src/main/jte/pages, compiled at build time into the {@code pages} package
 * here) and the one way to render them, shared by the web layer, the features' routes and dev. Each
 * page's model is a {@link ie.skynet.accounts.templates.Page} record beside the routes that show
 * it; the pages every part shows, the start page and the error page, are here.
 */
@NullMarked
package ie.skynet.accounts.templates;

import org.jspecify.annotations.NullMarked;
