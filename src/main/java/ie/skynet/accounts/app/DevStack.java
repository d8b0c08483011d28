package ie.skynet.accounts.app;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldif.LDIFException;
import ie.skynet.accounts.cli.ConfigException;
import ie.skynet.accounts.cli.DevOptions;
import ie.skynet.accounts.cli.StartupException;
import ie.skynet.accounts.db.Database;
import ie.skynet.accounts.dev.DevDirectory;
import ie.skynet.accounts.dev.DevMailbox;
import ie.skynet.accounts.membership.ImportOptions;
import ie.skynet.accounts.membership.ImportReport;
import ie.skynet.accounts.membership.ImportStatus;
import ie.skynet.accounts.membership.MembershipImporter;
import ie.skynet.accounts.membership.Memberships;
import ie.skynet.accounts.templates.Pages;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded dependencies of {@code accounts dev}: an in-memory LDAP server (saved to the data
 * directory on exit and loaded on start, as the database persists there too), a mail catcher, and
 * the members to load.
 */
final class DevStack implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DevStack.class);

  /** The dev directory's service password: printed for operators, as it guards only loopback. */
  static final String SERVICE_PASSWORD = "dev-password";

  private static final String SAMPLE_MEMBERS = "dev/members.csv";

  /** Configuration areas dev sets itself: an operator's environment must not point it elsewhere. */
  private static final List<String> OWNED = List.of("DATABASE_", "LDAP_", "SMTP_", "WEB_");

  final DevOptions options;
  final InMemoryDirectoryServer directory;
  final DevMailbox mailbox;
  private final Path savedDirectory;
  private final @Nullable ServerSocketChannel webSocket;
  private boolean closed;

  private DevStack(
      DevOptions options,
      InMemoryDirectoryServer directory,
      DevMailbox mailbox,
      Path savedDirectory,
      @Nullable ServerSocketChannel webSocket) {
    this.options = options;
    this.webSocket = webSocket;
    this.directory = directory;
    this.mailbox = mailbox;
    this.savedDirectory = savedDirectory;
  }

  static DevStack start(DevOptions requested, Pages pages) {
    for (int port : new int[] {requested.port(), requested.ldapPort(), requested.smtpPort()}) {
      if (port < 0 || port > 65_535) {
        throw new ConfigException(
            List.of("dev: expected ports from 0 to 65535 (0 picks a free one), found " + port));
      }
    }
    DevOptions options = requested;
    ServerSocketChannel webSocket = null;
    if (requested.port() == 0) {
      // The links in mail need the web port before the server starts: bind it now, and hand the
      // bound socket to the web server, so no other process can take the port in between.
      webSocket = bindLoopback();
      options =
          new DevOptions(
              webSocket.socket().getLocalPort(),
              requested.ldapPort(),
              requested.smtpPort(),
              requested.data(),
              requested.members());
    }
    try {
      return start(options, pages, webSocket);
    } catch (RuntimeException e) {
      closeQuietly(webSocket);
      throw e;
    }
  }

  private static DevStack start(
      DevOptions options, Pages pages, @Nullable ServerSocketChannel webSocket) {
    if (options.members() != null && !Files.isRegularFile(options.members())) {
      throw new ConfigException(
          List.of(
              "--members: expected a Wolves CSV export, found no file at " + options.members()));
    }
    try {
      Files.createDirectories(options.data());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + options.data(), e);
    }
    Path saved = options.data().resolve("directory.ldif");
    InMemoryDirectoryServer directory;
    try {
      directory = DevDirectory.start(DevDirectory.loopback(options.ldapPort()), SERVICE_PASSWORD);
    } catch (LDAPException | LDIFException e) {
      throw new StartupException(
          "cannot start the dev LDAP server on 127.0.0.1:"
              + options.ldapPort()
              + " (is the port in use? choose another with --ldap-port): "
              + e.getMessage(),
          e);
    }
    try {
      if (Files.isRegularFile(saved)) {
        directory.importFromLDIF(true, saved.toString());
      }
    } catch (LDAPException e) {
      directory.shutDown(true);
      throw new StartupException(
          "cannot load the saved dev directory "
              + saved
              + " (delete it to start afresh): "
              + e.getMessage(),
          e);
    }
    DevMailbox mailbox;
    try {
      mailbox = DevMailbox.start(options.smtpPort(), pages);
    } catch (RuntimeException e) {
      directory.shutDown(true);
      throw new StartupException(
          "cannot start the mail catcher on 127.0.0.1:"
              + options.smtpPort()
              + " (is the port in use? choose another with --smtp-port): "
              + e.getMessage(),
          e);
    }
    return new DevStack(options, directory, mailbox, saved, webSocket);
  }

  private static ServerSocketChannel bindLoopback() {
    try {
      ServerSocketChannel channel = ServerSocketChannel.open();
      try {
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      } catch (IOException e) {
        channel.close();
        throw e;
      }
      return channel;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bind a free port on loopback", e);
    }
  }

  private static void closeQuietly(@Nullable ServerSocketChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        log.debug("closing the unused dev web socket failed", e);
      }
    }
  }

  /** The web port's socket, already bound when dev picked the port itself; else null. */
  @Nullable ServerSocketChannel webSocket() {
    return webSocket;
  }

  /** The environment dev runs with, once {@link #environment} has made it. */
  private Map<String, String> given = Map.of();

  /**
   * Who keeps access, as dev was started with: another shell's {@code sync-groups} must apply the
   * same lists, or it would undo what dev's own sync did.
   */
  private static final List<String> LIFECYCLE_KEYS =
      List.of(
          "lifecycle.admins",
          "lifecycle.committee",
          "lifecycle.lifetime",
          "lifecycle.banned",
          "lifecycle.grace-days",
          "retention.unlinked-member-months");

  /** The environment with dev's own settings in place of any the operator's might hold. */
  Map<String, String> environment(Map<String, String> environment) {
    Map<String, String> env = new HashMap<>();
    this.given = env;
    environment.forEach(
        (key, value) -> {
          boolean owned =
              OWNED.stream().anyMatch(area -> key.startsWith(ConfigSource.ENV_PREFIX + area));
          if (!owned) {
            env.put(key, value);
          }
        });
    env.put(
        "ACCOUNTS_DATABASE_URL", "jdbc:sqlite:" + options.data().resolve("accounts.db").toString());
    env.put("ACCOUNTS_LDAP_HOST", "127.0.0.1");
    env.put("ACCOUNTS_LDAP_PORT", Integer.toString(directory.getListenPort()));
    env.put("ACCOUNTS_LDAP_SECURITY", "none");
    env.put("ACCOUNTS_LDAP_BIND_DN", DevDirectory.SERVICE_DN);
    env.put("ACCOUNTS_LDAP_BIND_PASSWORD", SERVICE_PASSWORD);
    env.put("ACCOUNTS_LDAP_USERS_DN", DevDirectory.USERS);
    env.put("ACCOUNTS_LDAP_MEMBERS_GROUP_DN", DevDirectory.MEMBERS);
    env.put("ACCOUNTS_LDAP_ADMINS_GROUP_DN", DevDirectory.ADMINS);
    env.put("ACCOUNTS_LDAP_COMMITTEE_GROUP_DN", DevDirectory.COMMITTEE);
    env.put("ACCOUNTS_LDAP_UID_COUNTER_DN", DevDirectory.COUNTER);
    env.put("ACCOUNTS_LDAP_GID_NUMBER", Integer.toString(DevDirectory.MEMBERS_GID));
    env.put("ACCOUNTS_SMTP_HOST", "127.0.0.1");
    env.put("ACCOUNTS_SMTP_PORT", Integer.toString(mailbox.port()));
    env.put("ACCOUNTS_SMTP_SECURITY", "none");
    env.put("ACCOUNTS_WEB_HOST", "127.0.0.1");
    env.put("ACCOUNTS_WEB_PORT", Integer.toString(options.port()));
    env.put("ACCOUNTS_WEB_BASE_URL", "http://localhost:" + options.port());
    env.putIfAbsent("ACCOUNTS_OUTBOX_POLL_MILLIS", "250"); // mail shows up at once in dev
    // The sample members have fixed dates, some long lapsed: housekeeping must not remove the
    // lapsed ones a minute after dev starts, or trying a lapsed address would find a stranger.
    env.putIfAbsent("ACCOUNTS_RETENTION_UNLINKED_MEMBER_MONTHS", "1200");
    return env;
  }

  /**
   * Writes a configuration that reaches this stack from another process, for {@code accounts doctor
   * --config} (and {@code preflight}) while dev runs: the same settings dev gives itself.
   */
  Path writeCheckConfig(int webPort) {
    Path file = options.data().resolve("doctor.conf");
    String text =
        String.join(
            "\n",
            "# Written by `accounts dev` each time it starts: how to reach this dev stack from",
            "# another shell, e.g. `accounts doctor --config " + file + "`.",
            "database.url=jdbc:sqlite:" + options.data().toAbsolutePath().resolve("accounts.db"),
            "ldap.host=127.0.0.1",
            "ldap.port=" + directory.getListenPort(),
            "ldap.security=none",
            "ldap.bind-dn=" + DevDirectory.SERVICE_DN,
            "ldap.bind-password=" + SERVICE_PASSWORD,
            "ldap.users-dn=" + DevDirectory.USERS,
            "ldap.members-group-dn=" + DevDirectory.MEMBERS,
            "ldap.admins-group-dn=" + DevDirectory.ADMINS,
            "ldap.committee-group-dn=" + DevDirectory.COMMITTEE,
            "ldap.uid-counter-dn=" + DevDirectory.COUNTER,
            "ldap.gid-number=" + DevDirectory.MEMBERS_GID,
            "smtp.host=127.0.0.1",
            "smtp.port=" + mailbox.port(),
            "smtp.security=none",
            "web.base-url=http://localhost:" + webPort,
            lifecycle(),
            "");
    try {
      Files.writeString(file, text, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return file;
  }

  /** The lifecycle keys dev's environment sets, as lines of a configuration file. */
  private String lifecycle() {
    StringBuilder lines = new StringBuilder();
    for (String key : LIFECYCLE_KEYS) {
      String value = given.get(ConfigSource.envName(key));
      if (value != null) {
        lines.append(key).append('=').append(value).append('\n');
      }
    }
    return lines.toString().strip();
  }

  /** Loads the members: the given export, or the sample one shipped in the jar. */
  ImportReport loadMembers(MembershipImporter importer) {
    Path file = options.members();
    Path copy = null;
    try {
      if (file == null) {
        copy = Files.createTempFile("skynet-sample-members", ".csv");
        try (InputStream in = DevStack.class.getClassLoader().getResourceAsStream(SAMPLE_MEMBERS)) {
          if (in == null) {
            throw new IllegalStateException(SAMPLE_MEMBERS + " is missing from the jar");
          }
          Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        file = copy;
      }
      // Forced: a dev database loaded from another export should simply take the new one.
      ImportReport report = importer.importCsv(file, new ImportOptions(false, true, null));
      if (report.status() != ImportStatus.OK) {
        throw new StartupException(
            "loading the members from "
                + (options.members() == null ? "the sample export" : options.members())
                + " failed: "
                + report.message()
                + (report.rejects().isEmpty()
                    ? ""
                    : "; first problem: " + report.rejects().get(0).describe()));
      }
      return report;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the sample members out of the jar", e);
    } finally {
      if (copy != null) {
        try {
          Files.deleteIfExists(copy);
        } catch (IOException e) {
          log.warn("could not delete the temporary file {}", copy, e);
        }
      }
    }
  }

  /**
   * Forgets accounts the database records but the directory lacks: the directory is saved only on a
   * clean exit, so after a crash the database knows of accounts made since. Their members can then
   * sign up again instead of being told they have an account that does not exist.
   *
   * @return the usernames forgotten
   */
  List<String> forgetAccountsMissingFromDirectory(Database database, Memberships memberships) {
    List<String> missing = new ArrayList<>();
    try {
      for (String username : memberships.usernames()) {
        DN entry = new DN(new RDN("uid", username), new DN(DevDirectory.USERS));
        if (directory.getEntry(entry.toString()) == null) {
          missing.add(username);
        }
      }
    } catch (LDAPException | RuntimeException e) {
      throw new StartupException("cannot compare the dev database with the dev directory", e);
    }
    if (!missing.isEmpty()) {
      try {
        database.runInTransaction(
            "forgetting the accounts the dev directory lost",
            c -> {
              for (String username : missing) {
                memberships.forgetAccount(c, username);
              }
            });
      } catch (RuntimeException e) {
        throw new StartupException("cannot forget accounts the dev directory lost", e);
      }
    }
    return missing;
  }

  /** Saves the directory beside the database, so accounts made in dev survive a restart. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      directory.exportToLDIF(savedDirectory.toString(), true, true);
    } catch (LDAPException e) {
      log.error(
          "could not save the dev directory to {}: accounts made in this run are lost",
          savedDirectory,
          e);
    }
    mailbox.close();
    directory.shutDown(true);
    closeQuietly(webSocket); // the web server closed it when it stopped, unless it never started
  }
}
