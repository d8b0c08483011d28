package ie.skynet.accounts.browser;

import com.microsoft.playwright.Browser;

/** The two screens every flow is tried on: a phone at the signup event, and a laptop. */
enum Screen {
  PHONE(390, 844, true),
  DESKTOP(1280, 800, false);

  private final int width;
  private final int height;
  private final boolean mobile;

  Screen(int width, int height, boolean mobile) {
    this.width = width;
    this.height = height;
    this.mobile = mobile;
  }

  Browser.NewContextOptions context() {
    return new Browser.NewContextOptions()
        .setViewportSize(width, height)
        .setIsMobile(mobile)
        .setHasTouch(mobile)
        .setDeviceScaleFactor(mobile ? 2 : 1)
        .setLocale("en-IE")
        .setTimezoneId("Europe/Dublin");
  }

  String folder() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
