package ie.skynet.accounts.account;

import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.directory.Directory;
import ie.skynet.accounts.directory.Profile;
import ie.skynet.accounts.links.BearerTokens;
import ie.skynet.accounts.membership.Memberships;
import ie.skynet.accounts.policy.RequestLimits;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Recovery for members whose address no longer works but who still have an SSH key on the account:
 * they sign a challenge with it ({@code ssh-keygen -Y sign -n file}), and a good signature gives
 * them a reset link, as the mail would have. Nobody is logged in by it.
 */
public final class SshRecovery {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SshRecovery.class);

  /** How long a challenge can be signed and sent back. */
  static final Duration LIFETIME = Duration.ofMinutes(15);

  /** The namespace {@code ssh-keygen -Y sign -n file} signs in; no other is accepted. */
  static final String NAMESPACE = "file";

  private final Database database;
  private final SshChallenges challenges;
  private final Memberships memberships;
  private final Directory directory;
  private final RecoveryService recovery;
  private final RequestLimits limits;
  private final LoginThrottle throttle;
  private final AuditLog audit;
  private final SecureRandom random;
  private final Clock clock;

  /**
   * @param limits how often a challenge may be asked for one username, and by one client
   * @param clientFailures bad signatures one client may send in 15 minutes
   */
  public SshRecovery(
      Database database,
      Memberships memberships,
      Directory directory,
      RecoveryService recovery,
      RequestLimits limits,
      AuditLog audit,
      int clientFailures,
      SecureRandom random,
      Clock clock) {
    this.database = database;
    this.challenges = new SshChallenges(database, clock);
    this.memberships = memberships;
    this.directory = directory;
    this.recovery = recovery;
    this.limits = limits;
    this.throttle = new LoginThrottle(clock, clientFailures);
    this.audit = audit;
    this.random = random;
    this.clock = clock;
  }

  /** The answer to a request for a challenge. */
  public sealed interface ChallengeRequest {
    /** The text to sign, exactly as given. */
    record Issued(String challenge) implements ChallengeRequest {}

    record TryLater(Duration after) implements ChallengeRequest {}
  }

  /**
   * A text to sign. Only if the username and its address on file both match, and the account has a
   * key, can it be answered; otherwise it is the same in every way (form, work done, answer) but
   * nothing will accept it, so the answer tells no one whether the two match.
   */
  public ChallengeRequest challenge(String user, String email, String client) {
    String username = AccountService.canonicalUsername(user).orElse("");
    // Per username and client: a stranger asking for someone's name must not lock them out.
    if (limits.tryRequest(
            (username.isEmpty() ? user.strip() : username) + " from " + client, client)
        instanceof RequestLimits.Verdict.TryLater later) {
      return new ChallengeRequest.TryLater(later.after());
    }
    Instant expires = clock.instant().plus(LIFETIME).truncatedTo(ChronoUnit.SECONDS);
    String challenge =
        "Skynet account recovery for "
            + (username.isEmpty() ? "?" : username)
            + ", until "
            + expires
            + ": "
            + BearerTokens.issue(random);
    boolean answerable = !username.isEmpty() && canAnswer(username, email);
    // No account is named "": a challenge for it is never opened.
    challenges.add(challenge, answerable ? username : "", expires);
    return new ChallengeRequest.Issued(challenge);
  }

  private boolean canAnswer(String username, String email) {
    Optional<String> onFile = addressOnFile(username);
    // Read whether or not the address matched, so the work does not tell either.
    List<SshKey> keys = directory.profile(username).map(SshKeyChanges::usable).orElse(List.of());
    return onFile.isPresent() && onFile.get().equalsIgnoreCase(email.strip()) && !keys.isEmpty();
  }

  private Optional<String> addressOnFile(String username) {
    return memberships.account(username).map(Memberships.Account::email);
  }

  /** How a signed challenge was received. */
  public sealed interface Verification {
    /**
     * @param resetToken a reset link's token: the member chooses a new password with it, as from
     *     the mail
     */
    record Verified(String username, String resetToken) implements Verification {}

    record Refused(String reason) implements Verification {}

    record Throttled(Duration retryAfter) implements Verification {}
  }

  /**
   * The one answer to every signature that does not check out, whatever the reason: a reason would
   * tell whether the username and address had matched. The reason is logged instead.
   */
  static final String REFUSED =
      "The signature does not answer an open challenge of this account with one of its keys."
          + " Sign the text exactly as given, within 15 minutes, with ssh-keygen -Y sign -n file"
          + " and the private half of a key on the account; each text works once.";

  /** Checks a signature over one of the account's open challenges. */
  public Verification verify(String user, String armoredSignature, String client) {
    String username = AccountService.canonicalUsername(user).orElse("");
    String key = username.isEmpty() ? user.strip().toLowerCase(Locale.ROOT) : username;
    Duration wait = throttle.tryAttempt(key, client);
    if (!wait.isZero()) {
      return new Verification.Throttled(wait);
    }
    List<SshChallenges.Open> open = username.isEmpty() ? List.of() : challenges.open(username);
    Profile profile = open.isEmpty() ? null : directory.profile(username).orElse(null);
    if (profile == null) {
      return new Verification.Refused(REFUSED);
    }
    List<SshKey> keys = SshKeyChanges.usable(profile);
    String reason = "no open challenge";
    for (SshChallenges.Open challenge : open) {
      // An editor saving the challenge to a file adds a newline: the text signed is either.
      for (String signed : List.of(challenge.challenge(), challenge.challenge() + "\n")) {
        SignatureCheck check =
            SshSignatures.verify(
                armoredSignature, signed.getBytes(StandardCharsets.UTF_8), NAMESPACE, keys);
        if (check instanceof SignatureCheck.Verified verified) {
          return answered(username, challenge, verified.key(), client);
        }
        reason = ((SignatureCheck.Refused) check).reason();
      }
    }
    log.info("SSH recovery of {} refused: {}", username, reason);
    return new Verification.Refused(REFUSED);
  }

  private Verification answered(
      String username, SshChallenges.Open challenge, SshKey key, String client) {
    Instant now = clock.instant();
    String email = addressOnFile(username).orElse("");
    Verification verified =
        database.inTransaction(
            "answering the challenge of " + username,
            connection -> {
              if (!challenges.spend(connection, challenge, now)) {
                return new Verification.Refused(REFUSED); // answered meanwhile, elsewhere
              }
              String token = recovery.issueResetLink(connection, username, email);
              audit.record(
                  connection,
                  new AuditLog.Entry(
                      AuditLog.ANONYMOUS,
                      "ssh-recovery",
                      username,
                      client,
                      AuditLog.Outcome.DONE,
                      "a challenge signed by "
                          + key.fingerprint()
                          + " ("
                          + SshKeyChanges.describe(key)
                          + ") gave a reset link"));
              return new Verification.Verified(username, token);
            });
    if (verified instanceof Verification.Verified) {
      throttle.succeeded(username, client);
    }
    return verified;
  }
}
