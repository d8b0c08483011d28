package ie.skynet.accounts.templates;

import java.util.List;

/**
 * What the page says at its top about the form just sent, before anything else: on a long page the
 * form may be far below, and a member must not have to scroll to learn whether their change was
 * made. Focus moves to it, so a screen reader reads it first; a problem lists each field's error as
 * a link to that field, where the same error is said again.
 *
 * @param problem whether nothing was changed; otherwise the message says what was
 * @param message empty when there is nothing to say
 */
public record Outcome(boolean problem, String message, List<Field> fields) {
  public static final Outcome NONE = new Outcome(false, "", List.of());

  /**
   * One field's error.
   *
   * @param id the field's element id
   */
  public record Field(String id, String error) {}

  public Outcome {
    fields = List.copyOf(fields);
  }

  public static Outcome done(String message) {
    return message.isEmpty() ? NONE : new Outcome(false, message, List.of());
  }

  /** A problem with no field to point at, such as a fault on our side; none when empty. */
  public static Outcome failed(String message) {
    return message.isEmpty() ? NONE : new Outcome(true, message, List.of());
  }

  /** A problem with one field, or none when {@code error} is empty. */
  public static Outcome problem(String message, String fieldId, String error) {
    return error.isEmpty() ? NONE : new Outcome(true, message, List.of(new Field(fieldId, error)));
  }

  /** A problem with each of these errors of one field, or none when there are none. */
  public static Outcome problem(String message, String fieldId, List<String> errors) {
    return errors.isEmpty()
        ? NONE
        : new Outcome(true, message, errors.stream().map(e -> new Field(fieldId, e)).toList());
  }

  /** The first of these that says anything. */
  public static Outcome first(Outcome... outcomes) {
    for (Outcome outcome : outcomes) {
      if (!outcome.message().isEmpty()) {
        return outcome;
      }
    }
    return NONE;
  }
}
