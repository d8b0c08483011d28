/**
 * Event mode: whether a signup event is on, until when, and the projector link made for it. Owns
 * the {@code event_mode} table. The request limits ask it whether to allow a hall's worth of
 * requests from one address; the admin pages switch it and show the projector page.
 */
@NullMarked
package ie.skynet.accounts.event;

import org.jspecify.annotations.NullMarked;
