package ie.skynet.accounts.links;

import java.time.Instant;

/**
 * An issued link, as its token leads to it.
 *
 * @param subject whose link it is: the membership's Wolves id for a signup, the username otherwise
 * @param address the address it was mailed to (for an address change: the new address)
 */
public record Link(LinkPurpose purpose, String subject, String address, Instant expiresAt) {}
