package ie.skynet.accounts.policy;

import com.nulabinc.zxcvbn.Feedback;
import com.nulabinc.zxcvbn.Strength;
import com.nulabinc.zxcvbn.Zxcvbn;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Password rules after NIST SP 800-63B: long enough, not common, not built from the member's own
 * name or address, and hard to guess by zxcvbn's estimate. No composition rules ("one digit, one
 * symbol"): they make passwords harder to remember, not to guess.
 */
public final class PasswordPolicy {
  public static final int MIN_LENGTH = 12;
  public static final int MAX_LENGTH = 128;

  /** zxcvbn's scale runs 0 to 4; 3 is "safely unguessable" against online and slowed attacks. */
  static final int MIN_SCORE = 3;

  private static final String COMMON_LIST = "/signup/common-passwords.txt";

  private final Set<String> common;
  private final Zxcvbn zxcvbn = new Zxcvbn();

  PasswordPolicy(Set<String> common) {
    this.common = Set.copyOf(common);
  }

  /** The policy with the list of common passwords shipped in the jar. */
  public static PasswordPolicy withShippedList() {
    Set<String> common = new HashSet<>();
    try (InputStream in = PasswordPolicy.class.getResourceAsStream(COMMON_LIST)) {
      if (in == null) {
        throw new IllegalStateException("the jar lacks " + COMMON_LIST);
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      String line;
      while ((line = reader.readLine()) != null) {
        if (!line.isBlank() && !line.startsWith("#")) {
          common.add(line.strip().toLowerCase(Locale.ROOT));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + COMMON_LIST, e);
    }
    return new PasswordPolicy(common);
  }

  /** Who the password is for: it must not be made of these. */
  public record Owner(
      String username, String email, @Nullable String firstName, @Nullable String lastName) {}

  /** The verdict, with every reason a page should show. */
  public sealed interface Verdict {
    record Accepted() implements Verdict {}

    record Rejected(List<String> reasons) implements Verdict {}
  }

  public Verdict check(String password, Owner owner) {
    List<String> reasons = new ArrayList<>();
    int length = password.codePointCount(0, password.length());
    if (length < MIN_LENGTH) {
      reasons.add("Use at least " + MIN_LENGTH + " characters; this has " + length + ".");
    } else if (length > MAX_LENGTH) {
      reasons.add("Use at most " + MAX_LENGTH + " characters; this has " + length + ".");
    }
    String lower = password.toLowerCase(Locale.ROOT);
    String localPart =
        owner.email().contains("@")
            ? owner.email().substring(0, owner.email().lastIndexOf('@'))
            : owner.email();
    if (contains(lower, owner.username())) {
      reasons.add("Do not use your username in your password.");
    }
    if (contains(lower, localPart)) {
      reasons.add("Do not use your email address in your password.");
    }
    if (common.contains(lower.strip())) {
      reasons.add("This password is on a list of commonly used passwords; choose another.");
    }
    if (reasons.isEmpty()) {
      List<String> inputs = new ArrayList<>(List.of(owner.username(), localPart));
      if (owner.firstName() != null) {
        inputs.add(owner.firstName());
      }
      if (owner.lastName() != null) {
        inputs.add(owner.lastName());
      }
      Strength strength = zxcvbn.measure(password, inputs);
      if (strength.getScore() < MIN_SCORE) {
        Feedback feedback = strength.getFeedback();
        StringBuilder reason = new StringBuilder("This password would be too easy to guess.");
        String warning = feedback.getWarning(Locale.ENGLISH);
        if (warning != null && !warning.isBlank()) {
          reason.append(' ').append(warning);
        }
        for (String suggestion : feedback.getSuggestions(Locale.ENGLISH)) {
          reason.append(' ').append(suggestion);
        }
        reasons.add(reason.toString());
      }
    }
    return reasons.isEmpty() ? new Verdict.Accepted() : new Verdict.Rejected(List.copyOf(reasons));
  }

  /** Whether the password holds the part, ignoring case; parts under 3 characters are noise. */
  private static boolean contains(String lowerPassword, String part) {
    String p = part.strip().toLowerCase(Locale.ROOT);
    return p.length() >= 3 && lowerPassword.contains(p);
  }
}
