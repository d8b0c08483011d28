package ie.skynet.accounts.browser;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * README's first command, {@code bin/accounts dev}, as its own process on free ports: the packaged
 * service exactly as a developer starts it, so the browser suite tests that command too.
 */
final class DevProcess implements AutoCloseable {
  private static final Pattern WEB = Pattern.compile("^\\s*Web:\\s+(http://\\S+?)/?$");
  private static final Duration START = Duration.ofMinutes(3);

  final String base;
  private final Process process;
  private final StringBuffer output;

  private DevProcess(Process process, String base, StringBuffer output) {
    this.process = process;
    this.base = base;
    this.output = output;
  }

  /** Starts dev on free ports with its database in {@code data} and these members. */
  static DevProcess start(Path data, Path members) {
    return start(List.of(), data, members, Map.of());
  }

  /** As above, with configuration from these {@code ACCOUNTS_*} variables. */
  static DevProcess start(Path data, Path members, Map<String, String> environment) {
    return start(List.of(), data, members, environment);
  }

  /**
   * Starts dev as it would run at {@code when}, by Debian's faketime: the only way to move the
   * clock of a whole separate service, as an expired link needs.
   */
  static DevProcess startAt(Instant when, Path data, Path members) {
    String at =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC).format(when);
    return start(List.of(faketime(), at), data, members, Map.of());
  }

  private static DevProcess start(
      List<String> prefix, Path data, Path members, Map<String, String> environment) {
    Path root = projectRoot();
    List<String> command = new ArrayList<>(prefix);
    command.addAll(
        List.of(
            root.resolve("bin/accounts").toString(),
            "dev",
            "--port",
            "0",
            "--ldap-port",
            "0",
            "--smtp-port",
            "0",
            "--data",
            data.toString(),
            "--members",
            members.toString()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(data.getParent().toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    builder.environment().put("TZ", "UTC");
    builder.environment().putAll(environment);
    if (!prefix.isEmpty()) {
      // A faketime around the whole build would stack with ours; only ours may set the date.
      builder.environment().keySet().removeIf(DevProcess::isFaketime);
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new AssertionError("cannot run " + command, e);
    }
    StringBuffer output = new StringBuffer();
    CompletableFuture<String> web = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  output.append(line).append('\n');
                  Matcher matcher = WEB.matcher(line);
                  if (matcher.matches()) {
                    web.complete(matcher.group(1));
                  }
                }
              } catch (IOException e) {
                output.append("(reading the output failed: ").append(e).append(")\n");
              }
              web.completeExceptionally(new IllegalStateException("dev's output ended"));
            },
            "dev-output");
    reader.setDaemon(true);
    reader.start();
    try {
      return new DevProcess(process, web.get(START.toSeconds(), TimeUnit.SECONDS), output);
    } catch (ExecutionException | TimeoutException e) {
      process.destroyForcibly();
      throw new AssertionError(
          "`" + String.join(" ", command) + "` did not start; it printed:\n" + output, e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Everything dev printed so far, log included. */
  String output() {
    return output.toString();
  }

  /**
   * Stops dev as Ctrl-C would, so it saves its directory; kills it if it will not stop. The signal
   * goes to the JVM itself: faketime runs it as a child and passes no signal on.
   */
  @Override
  public void close() {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle handle : all) {
      try {
        handle.onExit().get(60, TimeUnit.SECONDS);
      } catch (TimeoutException | ExecutionException e) {
        all.forEach(ProcessHandle::destroyForcibly);
        throw new AssertionError("dev did not stop within 60 s of SIGTERM:\n" + output, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  /** The checkout: Maven runs tests in it, and names it in {@code basedir}. */
  static Path projectRoot() {
    Path root = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    if (!Files.isExecutable(root.resolve("bin/accounts"))) {
      throw new AssertionError("bin/accounts not found under " + root + "; run from the checkout");
    }
    return root;
  }

  /**
   * This environment without libfaketime's variables. Under {@code faketime DATE mvn verify} every
   * process starts its own clock at DATE when it starts, so the processes of one Chromium would
   * disagree about time; a member's browser runs on its own clock anyway.
   */
  static Map<String, String> environmentWithoutFaketime() {
    Map<String, String> environment = new HashMap<>(System.getenv());
    environment.keySet().removeIf(DevProcess::isFaketime);
    return environment;
  }

  private static boolean isFaketime(String variable) {
    return variable.equals("LD_PRELOAD")
        || variable.equals("FAKETIME")
        || variable.startsWith("FAKETIME_")
        || variable.startsWith("FAKERANDOM_");
  }

  private static String faketime() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(dir, "faketime"))) {
        return Path.of(dir, "faketime").toString();
      }
    }
    throw new AssertionError(
        "faketime is needed to run the service at a later date (Debian: apt-get install faketime;"
            + " .ci/run installs it)");
  }
}
