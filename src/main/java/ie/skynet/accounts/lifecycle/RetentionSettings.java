package ie.skynet.accounts.lifecycle;

/**
 * How long housekeeping keeps personal data that is no longer needed ({@code retention.*}).
 *
 * @param unlinkedMemberMonths months after its expiry that a membership no account was made from is
 *     kept
 * @param auditDays days an audit entry is kept
 * @param sentMailDays days after it was sent that a mail's row (its recipient) is kept
 * @param failedMailDays days after its last attempt that a mail which failed for good is kept
 */
public record RetentionSettings(
    int unlinkedMemberMonths, int auditDays, int sentMailDays, int failedMailDays) {}
