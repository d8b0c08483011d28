/**
 * The mail outbox: mails are written in the caller's transaction and sent afterwards by a worker
 * over SMTP, with retries for transient failures; operators can list them and resend failures.
 */
@NullMarked
package ie.skynet.accounts.outbox;

import org.jspecify.annotations.NullMarked;
