package ie.skynet.accounts.directory;

import com.sun.security.auth.module.UnixSystem;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFException;
import com.unboundid.ldif.LDIFReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Debian's real OpenLDAP server ({@code slapd} 2.5), run by the tests as an ordinary child process
 * on loopback, and set up from the files shipped in {@code deploy/ldap} the way an operator sets up
 * the society's directory (docs/operations.md, "Preparing the directory"): the real {@code
 * ldapadd}, {@code ldapmodify} and {@code ldappasswd} over {@code ldapi://}, so the shipped setup
 * is itself tested.
 *
 * <p>The server's own configuration is Debian's: {@code /usr/share/slapd/slapd.init.ldif}, the
 * template the Debian package configures a new server from, read when the test runs, with its
 * placeholders filled in, its paths moved into the test's directory and its root-only {@code
 * peercred} identity ({@code gidNumber=0+uidNumber=0}) replaced by this process's, so the tests run
 * as any user.
 *
 * <p>Tests fail, never skip, without slapd: {@code apt-get install slapd ldap-utils} ({@code
 * .ci/run} does it).
 */
public final class Slapd implements AutoCloseable {
  public static final String BASE = TestDirectories.BASE;

  /** The database's rootdn (olcRootDN, Debian's {@code cn=admin,<suffix>}): bypasses all rules. */
  public static final String ROOT_DN = "cn=admin," + BASE;

  public static final String SERVICE_DN = TestDirectories.ADMIN_DN;
  public static final String SERVICE_PASSWORD = TestDirectories.ADMIN_PASSWORD;
  public static final String USERS = "ou=users," + BASE;
  public static final String PREFLIGHT = "ou=preflight," + BASE;
  public static final String MEMBERS = TestDirectories.MEMBERS;
  public static final String COUNTER = TestDirectories.COUNTER;

  /** The database the shipped access rules go into, in Debian's configuration. */
  public static final String DATABASE = "olcDatabase={1}mdb,cn=config";

  static final Path DEPLOY = Path.of("deploy/ldap");
  static final Path TEMPLATE = Path.of("/usr/share/slapd/slapd.init.ldif");
  static final String INSTALL =
      "apt-get install slapd ldap-utils (preseed debconf slapd/no_configuration true so the package"
          + " sets up no system directory; .ci/run does both)";

  private static final int START_ATTEMPTS = 10;
  private static final long START_SECONDS = 30;
  private static final long TOOL_SECONDS = 60;

  /** Which openssh-lpk schema the directory has. */
  public enum Schema {
    /** The shipped one, deploy/ldap/schema/openssh-lpk.ldif: ldapPublicKey MAY hold keys. */
    MAY_KEY(DEPLOY.resolve("schema/openssh-lpk.ldif")),
    /** The original one most operators already have: ldapPublicKey MUST hold a key. */
    MUST_KEY(Path.of("src/test/resources/ldap/openssh-lpk-original.ldif"));

    private final Path ldif;

    Schema(Path ldif) {
      this.ldif = ldif;
    }

    public Path ldif() {
      return ldif;
    }
  }

  private final Path dir;
  private final Path config;
  private final Path log;
  private final @Nullable Path socketDir;
  private final String ldapi;
  private final String rootPassword;
  private final Thread reaper;
  private volatile @Nullable Process process;
  private int port;
  private int changes;
  private List<String> shippedAccess = List.of();

  private Slapd(Path dir, @Nullable Path socketDir, Path socket, String rootPassword) {
    this.dir = dir;
    this.config = dir.resolve("config");
    this.log = dir.resolve("slapd.log");
    this.socketDir = socketDir;
    this.ldapi = "ldapi://" + percentEncode(socket.toString());
    this.rootPassword = rootPassword;
    this.reaper = new Thread(this::kill, "slapd-reaper");
  }

  /**
   * Configures a new slapd in {@code dir} (which must be empty or absent) from Debian's template,
   * starts it on a free loopback port, and sets up the society's directory from deploy/ldap with
   * the openssh-lpk schema {@code lpk}.
   */
  public static Slapd start(Path dir, Schema lpk) {
    return start(dir, lpk, Slapd::freePort);
  }

  /** {@link #start(Path, Schema)} trying the ports {@code ports} gives, until one binds. */
  static Slapd start(Path dir, Schema lpk, IntSupplier ports) {
    requireInstalled();
    try {
      Files.createDirectories(dir.resolve("config"));
      Files.createDirectories(dir.resolve("db"));
      Path socket = dir.toAbsolutePath().resolve("ldapi");
      Path socketDir = null;
      // A Unix socket's path has at most 107 bytes (sun_path is 108 with the NUL); a test's
      // temporary directory may be longer, then the socket goes in a short one of its own.
      if (socket.toString().getBytes(StandardCharsets.UTF_8).length > 100) {
        socketDir = Files.createTempDirectory(Path.of("/tmp"), "slapd");
        socket = socketDir.resolve("ldapi");
      }
      byte[] secret = new byte[16];
      new SecureRandom().nextBytes(secret);
      Slapd slapd =
          new Slapd(dir.toAbsolutePath(), socketDir, socket, HexFormat.of().formatHex(secret));
      try {
        slapd.configureFromTemplate();
        slapd.launch(ports);
        slapd.setUpAsAnOperator(lpk);
        return slapd;
      } catch (RuntimeException | Error e) {
        slapd.close();
        throw e;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The plain LDAP port on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** {@code ldapi://...}: the server's Unix socket, where root-like EXTERNAL binds work. */
  public String ldapiUri() {
    return ldapi;
  }

  /** The service's settings for this directory, as TestDirectories gives for the in-memory one. */
  public DirectorySettings settings() {
    return TestDirectories.settings(
        "127.0.0.1", port, DirectorySettings.Security.NONE, null, TestDirectories.MEMBERS);
  }

  /** A new connection bound as the rootdn, which no access rule limits: for assertions. */
  public LDAPConnection admin() throws LDAPException {
    return new LDAPConnection("127.0.0.1", port, ROOT_DN, rootPassword);
  }

  /**
   * Applies an LDIF change to cn=config with {@code ldapmodify -Y EXTERNAL} over ldapi, as root on
   * the server would (in Debian's configuration, the EXTERNAL identity of the user running slapd
   * manages cn=config).
   */
  public void configure(String ldif) {
    Path file = dir.resolve("change-" + ++changes + ".ldif");
    try {
      Files.writeString(file, ldif, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    external("ldapmodify", file);
  }

  /** The database's access rules now (olcAccess values with their {n} prefixes, in order). */
  public List<String> access() {
    String out =
        run(
            List.of(
                tool("ldapsearch"),
                "-Q",
                "-LLL",
                "-o",
                "ldif-wrap=no",
                "-Y",
                "EXTERNAL",
                "-H",
                ldapi,
                "-b",
                DATABASE,
                "-s",
                "base",
                "olcAccess"));
    Entry entry = readEntry(out);
    Attribute values = entry.getAttribute("olcAccess");
    return values == null ? List.of() : List.of(values.getValues());
  }

  /**
   * Deletes the shipped rule that lets the service write members' userPassword under ou=users (rule
   * {0} of access.ldif), as an operator who left it out would: Password Modify by the service then
   * fails with insufficientAccessRights (50). {@link #restoreAccess()} undoes it.
   */
  public void withholdPasswordWrite() {
    withhold(rule -> rule.startsWith("to dn.one=\"" + USERS + "\" attrs=userPassword "));
  }

  /** Deletes the shipped rule that lets the service write the members group's memberUid. */
  public void withholdMemberUidWrite() {
    withhold(rule -> rule.contains(" attrs=memberUid "));
  }

  /**
   * Takes away the service's own size limits (limits.ldif), as an operator who left the file out
   * would: the database's limit (500) holds for the service again, across the pages of a search.
   */
  public void withholdSizeLimits() {
    configure("dn: " + DATABASE + "\nchangetype: modify\ndelete: olcLimits\n");
  }

  /** Puts back the access rules as the shipped setup left them. */
  public void restoreAccess() {
    StringBuilder ldif =
        new StringBuilder("dn: " + DATABASE + "\nchangetype: modify\nreplace: olcAccess\n");
    for (String rule : shippedAccess) {
      ldif.append("olcAccess: ").append(rule).append('\n');
    }
    configure(ldif.toString());
    if (!access().equals(shippedAccess)) {
      throw new AssertionError("the access rules were not restored: " + access());
    }
  }

  /** The shipped access rules as slapd holds them after the setup. */
  public List<String> shippedAccess() {
    return shippedAccess;
  }

  /** What slapd has logged so far ({@code -d stats}: connections, operations and their results). */
  public String log() {
    try {
      return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Stops slapd (SIGTERM, then SIGKILL after 10 s) and waits for it to end. */
  @Override
  public void close() {
    Process running = process;
    if (running != null) {
      running.destroy();
      try {
        if (!running.waitFor(10, TimeUnit.SECONDS)) {
          running.destroyForcibly();
          running.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        running.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // the JVM is shutting down (the hook runs), or it was never added
    }
    if (socketDir != null) {
      deleteQuietly(socketDir);
    }
  }

  // ---------------------------------------------------------------------------------------------

  private void configureFromTemplate() throws IOException {
    UnixSystem user = new UnixSystem();
    String init = Files.readString(TEMPLATE, StandardCharsets.UTF_8);
    init = replace(init, "@SUFFIX@", BASE);
    init = replace(init, "@PASSWORD@", rootPassword);
    init = replace(init, "/var/run/slapd/slapd.pid", dir.resolve("slapd.pid").toString());
    init = replace(init, "/var/run/slapd/slapd.args", dir.resolve("slapd.args").toString());
    init = replace(init, "olcDbDirectory: /var/lib/ldap", "olcDbDirectory: " + dir.resolve("db"));
    // Debian lets root on the server (EXTERNAL over ldapi) manage everything; here, whoever runs
    // the tests, as the operator's root would be.
    init =
        replace(
            init,
            "gidNumber=0+uidNumber=0,cn=peercred",
            "gidNumber=" + user.getGid() + "+uidNumber=" + user.getUid() + ",cn=peercred");
    // 1 GiB of address space per server is more than tests need; a tenth is plenty.
    init = replace(init, "olcDbMaxSize: 1073741824", "olcDbMaxSize: 104857600");
    Path file = dir.resolve("init.ldif");
    Files.writeString(file, init, StandardCharsets.UTF_8);
    run(List.of(tool("slapadd"), "-n0", "-F", config.toString(), "-l", file.toString()));
  }

  private static String replace(String text, String placeholder, String value) {
    if (!text.contains(placeholder)) {
      throw new AssertionError(
          TEMPLATE + " no longer contains \"" + placeholder + "\"; the harness needs updating");
    }
    return text.replace(placeholder, value);
  }

  /**
   * Starts slapd on a port that was free a moment ago; if someone took it meanwhile slapd cannot
   * bind it and exits, and the next attempt takes another.
   */
  private void launch(IntSupplier ports) throws IOException {
    Runtime.getRuntime().addShutdownHook(reaper);
    for (int attempt = 1; ; attempt++) {
      port = ports.getAsInt();
      long logged = Files.exists(log) ? Files.size(log) : 0;
      Process started =
          new ProcessBuilder(
                  tool("slapd"),
                  "-d",
                  "stats",
                  "-F",
                  config.toString(),
                  "-h",
                  "ldap://127.0.0.1:" + port + "/ " + ldapi)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      process = started;
      if (answers(started)) {
        return;
      }
      String all = log();
      String output = all.substring((int) Math.min(logged, all.length()));
      if (output.contains("Address already in use") && attempt < START_ATTEMPTS) {
        continue;
      }
      throw new AssertionError(
          "slapd did not start (exit " + started.exitValue() + "), its log:\n" + output);
    }
  }

  /** Waits until this slapd accepts the rootdn's bind on its port; false if it exited. */
  private boolean answers(Process started) {
    LDAPConnectionOptions options = new LDAPConnectionOptions();
    options.setConnectTimeoutMillis(1000);
    options.setResponseTimeoutMillis(5000);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (System.nanoTime() < deadline) {
      if (!started.isAlive()) {
        return false;
      }
      // The bind with this server's random password tells it from anyone else on the port.
      try (LDAPConnection connection = new LDAPConnection(options, "127.0.0.1", port)) {
        connection.bind(ROOT_DN, rootPassword);
        return true;
      } catch (LDAPException e) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new AssertionError(interrupted);
        }
      }
    }
    started.destroyForcibly();
    throw new AssertionError(
        "slapd did not answer on port " + port + " within " + START_SECONDS + " s:\n" + log());
  }

  /** A loopback port nobody listens on now (someone may take it before slapd binds it). */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What docs/operations.md tells the operator to run, in that order, with the same tools. */
  private void setUpAsAnOperator(Schema lpk) {
    external("ldapadd", lpk.ldif());
    external("ldapadd", DEPLOY.resolve("schema/skynet.ldif"));
    asRoot("ldapadd", "-f", DEPLOY.resolve("base.ldif").toString());
    asRoot("ldapadd", "-f", DEPLOY.resolve("preflight.ldif").toString());
    asRoot("ldappasswd", "-s", SERVICE_PASSWORD, SERVICE_DN);
    external("ldapmodify", DEPLOY.resolve("access.ldif"));
    external("ldapmodify", DEPLOY.resolve("constraint.ldif"));
    external("ldapmodify", DEPLOY.resolve("limits.ldif"));
    external("ldapadd", DEPLOY.resolve("monitor.ldif"));
    shippedAccess = access();
  }

  /** ldapadd or ldapmodify on cn=config as root on the server: SASL EXTERNAL over ldapi. */
  private String external(String program, Path ldif) {
    return run(
        List.of(
            tool(program),
            "-Q",
            "-Y",
            "EXTERNAL",
            "-H",
            ldapi,
            "-f",
            ldif.toAbsolutePath().toString()));
  }

  /** An ldap-utils tool bound as the rootdn over ldapi (an operator would type -W, not -w). */
  private String asRoot(String program, String... args) {
    List<String> command =
        new ArrayList<>(
            List.of(tool(program), "-x", "-H", ldapi, "-D", ROOT_DN, "-w", rootPassword));
    command.addAll(List.of(args));
    return run(command);
  }

  private void withhold(Predicate<String> rule) {
    List<String> matching =
        access().stream()
            .filter(value -> rule.test(value.replaceFirst("^\\{\\d+\\}", "")))
            .toList();
    if (matching.size() != 1) {
      throw new AssertionError("expected one such rule among " + access());
    }
    configure(
        "dn: "
            + DATABASE
            + "\nchangetype: modify\ndelete: olcAccess\nolcAccess: "
            + matching.get(0)
            + "\n");
  }

  private static Entry readEntry(String ldif) {
    try (LDIFReader reader =
        new LDIFReader(new ByteArrayInputStream(ldif.getBytes(StandardCharsets.UTF_8)))) {
      Entry entry = reader.readEntry();
      if (entry == null) {
        throw new AssertionError("no entry in:\n" + ldif);
      }
      return entry;
    } catch (IOException | LDIFException e) {
      throw new AssertionError("cannot read LDIF:\n" + ldif, e);
    }
  }

  /**
   * Runs a tool with a timeout; returns its output (stdout and stderr). A failure is an
   * AssertionError with the command and everything it said.
   */
  static String run(List<String> command) {
    try {
      Path output = Files.createTempFile("slapd-tool", ".out");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        // Neither /etc/ldap/ldap.conf nor ~/.ldaprc: the tools do only what the command says.
        builder.environment().put("LDAPNOINIT", "1");
        Process tool = builder.start();
        if (!tool.waitFor(TOOL_SECONDS, TimeUnit.SECONDS)) {
          tool.destroyForcibly();
          throw new AssertionError("took over " + TOOL_SECONDS + " s: " + command);
        }
        String text = Files.readString(output, StandardCharsets.UTF_8);
        if (tool.exitValue() != 0) {
          throw new AssertionError(
              "failed (exit " + tool.exitValue() + "): " + String.join(" ", command) + "\n" + text);
        }
        return text;
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command.get(0) + "; " + INSTALL, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The path of an OpenLDAP program; an AssertionError naming the packages when it is missing. */
  static String tool(String name) {
    List<String> places = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      places.addAll(List.of(path.split(":")));
    }
    places.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin", "/bin"));
    for (String place : places) {
      if (place.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(place, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new AssertionError(name + " not found; the slapd tests need it: " + INSTALL);
  }

  /** Fails, naming what to install, unless slapd, its tools and Debian's template are here. */
  static void requireInstalled() {
    for (String name :
        List.of(
            "slapd", "slapadd", "slaptest", "ldapadd", "ldapmodify", "ldappasswd", "ldapsearch")) {
      tool(name);
    }
    if (!Files.isReadable(TEMPLATE)) {
      throw new AssertionError(
          TEMPLATE + " (Debian's slapd package) not found; the slapd tests need it: " + INSTALL);
    }
  }

  /** Every byte but RFC 3986's unreserved characters as %XX: an ldapi:// URL's host part. */
  static String percentEncode(String path) {
    StringBuilder out = new StringBuilder();
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  private void kill() {
    Process running = process;
    if (running != null) {
      running.destroyForcibly();
    }
  }

  private static void deleteQuietly(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // a leftover empty directory in /tmp is no reason to fail a test
    }
  }
}
