package ie.skynet.accounts.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class BaseUrlTest {
  @Test
  void linksStartAtTheBaseUrlWithOneSlashWhetherOrNotItEndsInOne() {
    assertThat(new BaseUrl(URI.create("https://accounts.skynet.ie")).link("/signup/t1"))
        .isEqualTo("https://accounts.skynet.ie/signup/t1");
    assertThat(new BaseUrl(URI.create("https://accounts.skynet.ie/")).link("/signup/t1"))
        .isEqualTo("https://accounts.skynet.ie/signup/t1");
    assertThat(new BaseUrl(URI.create("http://localhost:8080/")).link("/signup"))
        .isEqualTo("http://localhost:8080/signup");
  }

  @Test
  void aPathNotFromTheRootIsRefused() {
    assertThatThrownBy(() -> new BaseUrl(URI.create("https://accounts.skynet.ie")).link("signup"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("signup");
  }
}
