package ie.skynet.accounts.signup;

import ie.skynet.accounts.templates.MailTime;
import org.jspecify.annotations.Nullable;

/**
 * When our copy of the membership list was last updated from Wolves, and when the next update is
 * expected: what someone not (yet) on it needs to know to try again at the right time. A member who
 * joined at the stall minutes ago is not on it until the next update.
 *
 * @param last when the last accepted import finished; null if none ever has
 * @param next when the scheduled Wolves sync should next run; null when imports have no schedule
 *     (CSV imports by hand) or the schedule is overdue, so no time can honestly be promised
 */
public record ListUpdates(@Nullable MailTime last, @Nullable MailTime next) {}
