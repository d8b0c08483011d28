package ie.skynet.accounts.templates;

/**
 * A moment or a day as a mail writes it for a person: in the society's time zone, with the weekday
 * and month in words ("Tuesday 1 December 2026 at 14:05 GMT"), never ISO-8601 UTC. Made by {@link
 * Mails#time} and {@link Mails#day}, which know the zone.
 */
public record MailTime(String text) {
  @Override
  public String toString() {
    return text;
  }
}
