package ie.skynet.accounts.outbox;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** One mail as operators see it: no body (it may hold a one-time link). */
public record OutboxEntry(
    long id,
    String to,
    String template,
    String subject,
    MailStatus status,
    int attempts,
    Instant nextAttemptAt,
    @Nullable String lastError,
    Instant createdAt,
    @Nullable Instant sentAt) {}
