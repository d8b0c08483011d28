package ie.skynet.accounts.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Debian's Chromium, headless, driven by Playwright. Never a browser Playwright downloads: this
 * machine reaches no such host, and members use a browser, not a test build of one. Missing
 * Chromium fails the suite; it never skips it.
 */
final class Chromium implements AutoCloseable {
  /** Chromium otherwise keeps reaching for Google's hosts, which this network refuses. */
  private static final List<String> OFFLINE_FLAGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--no-first-run",
          "--disable-quic");

  final Browser browser;
  private final Playwright playwright;

  private Chromium(Playwright playwright, Browser browser) {
    this.playwright = playwright;
    this.browser = browser;
  }

  static Chromium launch() {
    Path executable = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    if (!Files.isExecutable(executable)) {
      throw new AssertionError(
          "the browser suite needs Chromium at "
              + executable
              + " (Debian: apt-get install chromium; .ci/run installs it), or CHROMIUM=path");
    }
    Playwright playwright =
        Playwright.create(
            new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    try {
      Browser browser =
          playwright
              .chromium()
              .launch(
                  new BrowserType.LaunchOptions()
                      .setExecutablePath(executable)
                      .setHeadless(true)
                      .setEnv(DevProcess.environmentWithoutFaketime())
                      .setArgs(OFFLINE_FLAGS));
      return new Chromium(playwright, browser);
    } catch (RuntimeException e) {
      playwright.close();
      throw e;
    }
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}
