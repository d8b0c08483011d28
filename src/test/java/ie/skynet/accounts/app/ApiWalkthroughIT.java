package ie.skynet.accounts.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's promise that examples/api-walkthrough.sh passes against {@code accounts dev}, kept by
 * running it (curl, jq and ssh-keygen, which .ci/run installs) against the dev stack.
 */
class ApiWalkthroughIT {
  @TempDir Path data;

  @Test
  void theWalkthroughPassesAgainstDev() throws Exception {
    try (Running running = MembersOfToday.startDev(data)) {
      Path output = data.resolve("walkthrough.log");
      ProcessBuilder walk =
          new ProcessBuilder("bash", "examples/api-walkthrough.sh")
              .redirectErrorStream(true)
              .redirectOutput(output.toFile());
      walk.environment().put("ACCOUNTS_URL", "http://localhost:" + running.port());
      Process process = walk.start();
      boolean finished = process.waitFor(3, TimeUnit.MINUTES);
      if (!finished) {
        process.destroyForcibly();
      }
      String log = read(output);
      assertThat(finished).as("the walkthrough finished in 3 minutes:\n%s", log).isTrue();
      assertThat(process.exitValue())
          .as("the walkthrough's exit code; its output:\n%s", log)
          .isZero();
      assertThat(log).contains("all 19 API calls answered as documented");
    }
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
  }
}
