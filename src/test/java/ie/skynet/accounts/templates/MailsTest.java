package ie.skynet.accounts.templates;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.account.AccountMail;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.TestDatabases;
import ie.skynet.accounts.http.BaseUrl;
import ie.skynet.accounts.outbox.Outbox;
import ie.skynet.accounts.outbox.OutboxEntry;
import ie.skynet.accounts.outbox.OutgoingMail;
import ie.skynet.accounts.signup.SignupMail;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each mail's two templates take its record: jte checks them against the record when it compiles,
 * but which templates a record names is only known when it renders, so every mail renders here
 * once, both ways.
 */
class MailsTest {
  private static final Path TEXT = Path.of("src/main/jte/mail-text");
  private static final Path HTML = Path.of("src/main/jte/mail-html");
  private static final Instant WHEN = Instant.parse("2025-01-01T10:00:00Z");

  private static final Clock CLOCK = Clock.fixed(WHEN, ZoneOffset.UTC);

  @TempDir Path dir;
  private Database database;
  private Outbox outbox;
  private Mails mails;

  @BeforeEach
  void setUp() {
    database = TestDatabases.migrated(dir);
    outbox = new Outbox(database, CLOCK, new SimpleMeterRegistry());
    mails = new Mails(new BaseUrl(URI.create("https://accounts.example/")), outbox);
  }

  /** One of each mail, with something from its record that both its text and HTML show. */
  private static Map<Mail, String> samples() {
    Map<Mail, String> samples = new LinkedHashMap<>();
    samples.put(
        new SignupMail.Verify("Aoife", "https://a.example/signup/x1", 24),
        "https://a.example/signup/x1");
    samples.put(
        new SignupMail.Existing("Aoife", "aoife", "https://a.example/recover/password"),
        "https://a.example/recover/password");
    samples.put(
        new SignupMail.NotMember("https://www.ulwolves.ie/society/skynet"),
        "https://www.ulwolves.ie/society/skynet");
    samples.put(new SignupMail.Welcome("Aoife", "aoife"), "Hello Aoife,");
    samples.put(
        new AccountMail.Usernames(List.of(), "https://a.example/signup", true),
        "https://a.example/signup");
    samples.put(
        new AccountMail.Reset("aoife", "https://a.example/recover/password/x1", 60),
        "https://a.example/recover/password/x1");
    samples.put(new AccountMail.PasswordChanged("aoife", WHEN), "2025-01-01T10:00:00Z");
    samples.put(
        new AccountMail.EmailVerify("aoife", "https://a.example/account/email/x1", 24),
        "https://a.example/account/email/x1");
    samples.put(
        new AccountMail.EmailChangeAsked("aoife", "new@example.com", 24), "new@example.com");
    samples.put(new AccountMail.EmailChanged("aoife", "new@example.com", WHEN), "new@example.com");
    samples.put(
        new AccountMail.SshKeysChanged("aoife", List.of("SHA256:abc (ed25519)"), List.of(), WHEN),
        "SHA256:abc (ed25519)");
    return samples;
  }

  @Test
  void everyMailRendersWithItsRecordBothWays() {
    samples()
        .forEach(
            (mail, shown) -> {
              OutgoingMail out = mails.render("aoife@example.com", mail);
              assertThat(out.to()).isEqualTo("aoife@example.com");
              assertThat(out.template()).as(mail.template()).isEqualTo(mail.kind());
              assertThat(out.subject()).as(mail.template()).isEqualTo(mail.subject());
              assertThat(out.text())
                  .as(mail.template())
                  .contains(shown)
                  .endsWith("Skynet, the computer society\n");
              assertThat(out.html())
                  .as(mail.template())
                  .contains(shown)
                  .endsWith("<p>Skynet, the computer society</p>\n");
            });
  }

  @Test
  void everyMailTemplateHasASampleAndBothForms() throws IOException {
    List<String> text = templates(TEXT);
    assertThat(templates(HTML)).containsExactlyInAnyOrderElementsOf(text);
    assertThat(samples().keySet().stream().map(Mail::template).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(text);
  }

  @Test
  void everyKindNamesOneTemplate() {
    // The outbox keeps only the kind once a mail is sent: it must say which mail that was.
    Map<String, String> templates = new LinkedHashMap<>();
    samples()
        .keySet()
        .forEach(
            mail ->
                assertThat(templates.putIfAbsent(mail.kind(), mail.template()))
                    .as(mail.kind())
                    .isIn(null, mail.template()));
    assertThat(templates).hasSize(samples().size());
  }

  @Test
  void theHtmlEscapesWhatTheRecordHoldsAndTheTextShowsItAsIs() {
    OutgoingMail out =
        mails.render(
            "aoife@example.com",
            new SignupMail.Existing("<b>Aoife</b>", "aoife", "https://a.example/r?a=1&b=2"));
    assertThat(out.html())
        .contains("Hello &lt;b&gt;Aoife&lt;/b&gt;,")
        .contains("href=\"https://a.example/r?a=1&amp;b=2\"");
    assertThat(out.text()).contains("Hello <b>Aoife</b>,").contains("https://a.example/r?a=1&b=2");
  }

  @Test
  void linksStartAtTheConfiguredBaseUrl() {
    assertThat(mails.link("/signup/t1")).isEqualTo("https://accounts.example/signup/t1");
  }

  @Test
  void aQueuedMailWaitsRenderedInTheOutbox() {
    database.runInTransaction(
        "queueing",
        c -> mails.queue(c, "aoife@example.com", new SignupMail.Welcome("Aoife", "aoife")));
    List<OutboxEntry> queued = outbox.list(null, 10);
    assertThat(queued).hasSize(1);
    assertThat(queued.get(0).to()).isEqualTo("aoife@example.com");
    assertThat(queued.get(0).template()).isEqualTo(new SignupMail.Welcome("A", "a").kind());
  }

  @Test
  void anAccountWithoutADeliverableAddressIsMailedNothing() {
    database.runInTransaction(
        "queueing",
        c -> {
          AccountMail mail = new AccountMail.PasswordChanged("aoife", WHEN);
          mails.queueIfDeliverable(c, null, mail);
          mails.queueIfDeliverable(c, "aoife@example.com\r\nBcc: x@example.com", mail);
          mails.queueIfDeliverable(c, "not an address", mail);
        });
    assertThat(outbox.list(null, 10)).isEmpty();
    database.runInTransaction(
        "queueing",
        c ->
            mails.queueIfDeliverable(
                c, "aoife@example.com", new AccountMail.PasswordChanged("aoife", WHEN)));
    assertThat(outbox.list(null, 10)).hasSize(1);
  }

  @Test
  void theUsernamesMailIsTitledForWhatWasAsked() {
    assertThat(new AccountMail.Usernames(List.of("aoife"), "https://a.example/signup", true))
        .extracting(Mail::subject)
        .isEqualTo("Your Skynet username");
    assertThat(new AccountMail.Usernames(List.of(), "https://a.example/signup", false))
        .extracting(Mail::subject)
        .isEqualTo("About your Skynet account");
  }

  private static List<String> templates(Path root) throws IOException {
    Stream<Path> files = Files.walk(root);
    try (files) {
      return files
          .filter(file -> file.toString().endsWith(".jte"))
          .map(file -> root.relativize(file).toString().replace('\\', '/'))
          .toList();
    }
  }
}
