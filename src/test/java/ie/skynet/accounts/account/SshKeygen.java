package ie.skynet.accounts.account;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code ssh-keygen} (Debian openssh-client; .ci/run installs it when missing), run with a
 * timeout. Tests fail, not skip, without it: a skipped test would hide an unchecked key format.
 */
public final class SshKeygen {
  private static final String PROGRAM = "ssh-keygen";

  private SshKeygen() {}

  /** Runs ssh-keygen in {@code dir} with {@code args}; returns its standard output. */
  public static String run(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add(PROGRAM);
    command.addAll(List.of(args));
    try {
      Path output = Files.createTempFile(dir, "ssh-keygen", ".out");
      Process process =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
              .start();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("ssh-keygen took over 60 s: " + command);
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new AssertionError(
            "ssh-keygen failed (exit " + process.exitValue() + "): " + command + "\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new AssertionError(
          "cannot run ssh-keygen (Debian: apt-get install openssh-client; .ci/run does)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Whether ssh-keygen ran with {@code args} and exited 0. */
  static boolean succeeds(Path dir, String... args) {
    try {
      run(dir, args);
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  /** Makes a passphrase-less key {@code dir/name} ({@code -t type -b bits}); returns its .pub. */
  public static String generate(Path dir, String name, String type, int bits, String comment) {
    List<String> args = new ArrayList<>(List.of("-q", "-t", type, "-N", "", "-C", comment));
    if (bits > 0) {
      args.addAll(List.of("-b", Integer.toString(bits)));
    }
    args.addAll(List.of("-f", dir.resolve(name).toString()));
    run(dir, args.toArray(String[]::new));
    return read(dir.resolve(name + ".pub"));
  }

  /** {@code ssh-keygen -lf}: "bits SHA256:... comment (TYPE)". */
  static String[] fingerprintLine(Path dir, Path publicKey) {
    return run(dir, "-l", "-f", publicKey.toString()).strip().split(" ", -1);
  }

  public static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  public static Path write(Path file, String text) {
    try {
      return Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
