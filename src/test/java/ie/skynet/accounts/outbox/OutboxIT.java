package ie.skynet.accounts.outbox;

import static ie.skynet.accounts.db.TestDatabases.rows;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import ie.skynet.accounts.RefusingPort;
import ie.skynet.accounts.TcpRelay;
import ie.skynet.accounts.TestClock;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.db.TableGauges;
import ie.skynet.accounts.db.TestDatabases;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outbox against a real SQLite file and a real SMTP server (GreenMail) on loopback. */
class OutboxIT {
  @TempDir Path dir;
  Database database;
  final TestClock clock = new TestClock(Instant.parse("2026-11-26T12:00:00Z"));
  Outbox outbox;

  /** Where workers made from now on send: the running server's port, or one that refuses. */
  int port;

  @Nullable GreenMail smtp;

  @BeforeEach
  void setUp() {
    database = TestDatabases.migrated(dir);
    outbox = new Outbox(database, clock, new SimpleMeterRegistry());
  }

  @AfterEach
  void tearDown() {
    if (smtp != null) {
      smtp.stop();
    }
  }

  /** A mail server on a port of its own choosing (never one found free and then reused). */
  private GreenMail startSmtp() {
    GreenMail server = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    server.start();
    smtp = server;
    port = server.getSmtp().getPort();
    return server;
  }

  private OutboxWorker worker() {
    return worker(null, null);
  }

  private OutboxWorker worker(@Nullable String username, @Nullable String password) {
    return new OutboxWorker(
        database,
        new SmtpMailSender(settings(username, password, 1)),
        clock,
        new SimpleMeterRegistry());
  }

  private SmtpSettings settings(
      @Nullable String username, @Nullable String password, int connections) {
    return settings(port, username, password, connections);
  }

  private static SmtpSettings settings(
      int port, @Nullable String username, @Nullable String password, int connections) {
    return new SmtpSettings(
        "127.0.0.1",
        port,
        SmtpSettings.Security.NONE,
        username,
        password,
        "accounts@skynet.ie",
        Duration.ofSeconds(5),
        connections);
  }

  private long enqueue(OutgoingMail mail) throws Exception {
    try (Connection c = database.connect()) {
      return outbox.enqueue(c, mail);
    }
  }

  private static OutgoingMail mail(String to) {
    return new OutgoingMail(
        to,
        "signup-verification",
        "Verify your email for Skynet",
        "Open https://accounts.skynet.ie/signup/verify?t=SECRET-TOKEN",
        "<p><a href=\"https://accounts.skynet.ie/signup/verify?t=SECRET-TOKEN\">Verify</a></p>");
  }

  @Test
  void aQueuedMailExistsOnlyIfTheCallersTransactionCommits() throws Exception {
    try (Connection c = database.connect()) {
      c.setAutoCommit(false);
      outbox.enqueue(c, mail("a@example.com"));
      c.rollback();
      outbox.enqueue(c, mail("b@example.com"));
      c.commit();
    }
    assertThat(outbox.list(null, 10)).extracting(OutboxEntry::to).containsExactly("b@example.com");
  }

  @Test
  void sendsDueMailOnceAndClearsItsBody() throws Exception {
    GreenMail server = startSmtp();
    long id = enqueue(mail("aoife@example.com"));

    assertThat(worker().sendDue()).isEqualTo(1);
    assertThat(worker().sendDue()).isZero();

    MimeMessage[] received = server.getReceivedMessages();
    assertThat(received).hasSize(1);
    assertThat(received[0].getSubject()).isEqualTo("Verify your email for Skynet");
    assertThat(received[0].getAllRecipients()[0].toString()).isEqualTo("aoife@example.com");
    assertThat(((MimeMultipart) received[0].getContent()).getCount()).isEqualTo(2);
    assertThat(
            rows(
                database,
                "SELECT status, attempts, body_text IS NULL, body_html IS NULL, sent_at FROM mail_outbox WHERE id = "
                    + id))
        .containsExactly("sent|1|1|1|2026-11-26T12:00:00Z");
    assertThat(String.join("", rows(database, "SELECT * FROM mail_outbox")))
        .doesNotContain("SECRET-TOKEN");
  }

  @Test
  void mailQueuedWhileTheServerIsDownIsDeliveredOnceItIsBack() throws Exception {
    long id = enqueue(mail("aoife@example.com"));
    try (RefusingPort down = new RefusingPort()) {
      port = down.port();
      assertThat(worker().sendDue()).isZero(); // nothing listens on the port
    }
    OutboxEntry waiting = outbox.list(MailStatus.PENDING, 10).get(0);
    assertThat(waiting.attempts()).isEqualTo(1);
    assertThat(waiting.nextAttemptAt()).isEqualTo(Instant.parse("2026-11-26T12:00:30Z"));
    assertThat(waiting.lastError()).contains("mail server unavailable");

    // Back, on a port of its own: what is due, and when, is in the database, not in a worker.
    GreenMail server = startSmtp();
    OutboxWorker worker = worker();
    assertThat(worker.sendDue()).as("not due before its backoff").isZero();
    clock.advance(Duration.ofSeconds(30));
    assertThat(worker.sendDue()).isEqualTo(1);
    assertThat(server.getReceivedMessages()).hasSize(1);
    assertThat(outbox.list(MailStatus.SENT, 10)).extracting(OutboxEntry::id).containsExactly(id);
  }

  @Test
  void refusedCredentialsFailTheMailForGoodUntilAnOperatorResendsIt() throws Exception {
    GreenMail server = startSmtp();
    server.setUser("accounts@skynet.ie", "accounts", "right-password");
    server.getManagers().getUserManager().setAuthRequired(true);
    long id = enqueue(mail("aoife@example.com"));

    assertThat(worker("accounts", "wrong-password").sendDue()).isZero();
    OutboxEntry failed = outbox.list(MailStatus.FAILED, 10).get(0);
    assertThat(failed.lastError()).startsWith("refused by the mail server");
    clock.advance(Duration.ofDays(1));
    assertThat(worker("accounts", "wrong-password").sendDue())
        .as("failed mail is not retried")
        .isZero();

    assertThat(outbox.resend(List.of(id))).isEqualTo(1);
    assertThat(worker("accounts", "right-password").sendDue()).isEqualTo(1);
    assertThat(server.getReceivedMessages()).hasSize(1);
    assertThat(outbox.resend(List.of())).as("a sent mail is never resent").isZero();
  }

  @Test
  void mailLeftClaimedByACrashedWorkerIsQueuedAgainOnceItsLeaseRunsOut() throws Exception {
    long id = enqueue(mail("aoife@example.com"));
    TestDatabases.execute(
        database,
        "UPDATE mail_outbox SET status = 'sending', claimed_at = '2026-11-26T12:00:00Z' WHERE id = "
            + id);
    startSmtp();
    OutboxWorker worker = worker();
    assertThat(worker.recover()).as("another instance may still be sending it").isZero();
    clock.advance(OutboxWorker.LEASE.plusSeconds(1));
    assertThat(worker.recover()).isEqualTo(1);
    assertThat(worker.sendDue()).isEqualTo(1);
  }

  @Test
  void transientFailuresGiveUpAfterTheLastAttempt() throws Exception {
    long id = enqueue(mail("aoife@example.com"));
    MailSender down =
        () ->
            new MailSender.Session() {
              @Override
              public void send(OutgoingMail m) {
                throw new MailException("connection refused", true, new IOException("refused"));
              }

              @Override
              public void close() {}
            };
    SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    OutboxWorker worker = new OutboxWorker(database, down, clock, metrics);
    TableGauges<Outbox.Backlog> gauges = OutboxGauges.register(outbox, clock, metrics);
    clock.advance(Duration.ofSeconds(90));
    gauges.refresh();
    assertThat(metrics.get("accounts.mail.pending").gauge().value()).isEqualTo(1);
    assertThat(metrics.get("accounts.mail.oldest.pending.age").gauge().value()).isEqualTo(90);
    for (int i = 0; i < OutboxWorker.MAX_ATTEMPTS; i++) {
      worker.sendDue();
      clock.advance(Duration.ofHours(1));
    }
    gauges.refresh();
    assertThat(metrics.get("accounts.mail.pending").gauge().value()).isZero();
    assertThat(metrics.get("accounts.mail.oldest.pending.age").gauge().value()).isZero();
    assertThat(metrics.get("accounts.mail.failed.waiting").gauge().value()).isEqualTo(1);
    assertThat(metrics.get("accounts.mail.failed").tag("retrying", "true").counter().count())
        .isEqualTo(OutboxWorker.MAX_ATTEMPTS - 1);
    assertThat(metrics.get("accounts.mail.failed").tag("retrying", "false").counter().count())
        .isEqualTo(1);
    assertThat(metrics.get("accounts.smtp.send").tag("outcome", "transient").timer().count())
        .isEqualTo(OutboxWorker.MAX_ATTEMPTS);
    assertThat(
            rows(database, "SELECT status, attempts, last_error FROM mail_outbox WHERE id = " + id))
        .containsExactly(
            "failed|"
                + OutboxWorker.MAX_ATTEMPTS
                + "|gave up after "
                + OutboxWorker.MAX_ATTEMPTS
                + " attempts: connection refused");
  }

  @Test
  void aSessionKeepsOneConnectionAndReplacesOneTheServerDropped() throws IOException {
    GreenMail server = startSmtp();
    // The relay stands for the server's address: it counts connections, and hangs up on them as a
    // restarting server would, while its port stays taken.
    try (TcpRelay relay = new TcpRelay(server.getSmtp().getPort())) {
      SmtpMailSender sender = new SmtpMailSender(settings(relay.port(), null, null, 1));
      try (MailSender.Session session = sender.open()) {
        session.send(new OutgoingMail("one@example.com", "t", "one", "text", null));
        session.send(new OutgoingMail("two@example.com", "t", "two", "text", null));
        assertThat(server.getReceivedMessages()).hasSize(2);
        assertThat(relay.connections()).as("both mails over one connection").isEqualTo(1);
        relay.dropConnections(); // the session's connection is now dead
        session.send(new OutgoingMail("three@example.com", "t", "three", "text", null));
      }
      assertThat(server.getReceivedMessages()).hasSize(3);
      assertThat(relay.connections()).as("one more, for the third").isEqualTo(2);
    }
  }

  @Test
  void severalConnectionsSendEveryMailExactlyOnce() throws Exception {
    GreenMail server = startSmtp();
    for (int i = 0; i < 120; i++) {
      enqueue(mail("member" + i + "@example.com"));
    }
    OutboxWorker worker =
        new OutboxWorker(
            database,
            new SmtpMailSender(settings(null, null, 4)),
            clock,
            4,
            new SimpleMeterRegistry());
    assertThat(worker.sendDue()).isEqualTo(120);
    assertThat(server.getReceivedMessages()).hasSize(120);
    assertThat(
            java.util.Arrays.stream(server.getReceivedMessages())
                .map(
                    m -> {
                      try {
                        return m.getAllRecipients()[0].toString();
                      } catch (jakarta.mail.MessagingException e) {
                        throw new AssertionError(e);
                      }
                    })
                .distinct()
                .count())
        .isEqualTo(120);
    assertThat(rows(database, "SELECT status, count(*) FROM mail_outbox GROUP BY status"))
        .containsExactly("sent|120");
  }

  @Test
  void twoWorkersOnOneDatabaseNeverSendAMailTwice() throws Exception {
    GreenMail server = startSmtp();
    for (int i = 0; i < 100; i++) {
      enqueue(mail("member" + i + "@example.com"));
    }
    // Two service instances: each claims before it sends, so each mail goes out once.
    OutboxWorker one =
        new OutboxWorker(
            database,
            new SmtpMailSender(settings(null, null, 2)),
            clock,
            2,
            new SimpleMeterRegistry());
    OutboxWorker two =
        new OutboxWorker(
            database,
            new SmtpMailSender(settings(null, null, 2)),
            clock,
            2,
            new SimpleMeterRegistry());
    var pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      var first = pool.submit(one::sendDue);
      var second = pool.submit(two::sendDue);
      assertThat(first.get() + second.get()).isEqualTo(100);
    } finally {
      pool.shutdownNow();
    }
    assertThat(server.getReceivedMessages()).hasSize(100);
    assertThat(rows(database, "SELECT status, count(*) FROM mail_outbox GROUP BY status"))
        .containsExactly("sent|100");
  }
}
