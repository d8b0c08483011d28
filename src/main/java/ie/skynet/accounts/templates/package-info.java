/**
 * The page and mail templates (src/main/jte/pages, mail-text and mail-html, compiled at build time
 * into the {@code pages}, {@code mailtext} and {@code mailhtml} packages here) and the one way to
 * render each, shared by the web layer, the features and dev. Each page's model is a {@link
 * ie.skynet.accounts.templates.Page} record beside the routes that show it, each mail's a {@link
 * ie.skynet.accounts.templates.Mail} record beside the feature that sends it; the pages every part
 * shows, the start page and the error page, are here.
 */
@NullMarked
package ie.skynet.accounts.templates;

import org.jspecify.annotations.NullMarked;
