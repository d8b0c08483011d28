package ie.skynet.accounts.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.TestClock;
import ie.skynet.accounts.membership.WolvesApiSettings;
import ie.skynet.accounts.membership.WolvesStub;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** Doctor's Wolves lines, layer by layer, against the stub; name resolution is injected. */
class WolvesApiProbeIT {
  private final TestClock clock = new TestClock(Instant.parse("2026-11-26T12:00:00Z"));

  private static final Resolver LOCAL_ONLY =
      host -> {
        if (host.equals("127.0.0.1") || host.equals("localhost")) {
          return List.of(InetAddress.getLoopbackAddress());
        }
        throw new UnknownHostException(host + ": Name or service not known");
      };

  private List<CheckResult> check(WolvesApiSettings settings) throws Exception {
    List<CheckResult> out = new ArrayList<>();
    new WolvesApiProbe(settings, LOCAL_ONLY, SSLContext.getDefault(), clock).check(out);
    return out;
  }

  @Test
  void aKeyAcceptedIsOneRequestForOneMember() throws Exception {
    try (WolvesStub stub = WolvesStub.start()) {
      stub.otherwise(WolvesStub.paged(WolvesStub.sampleMembers()));

      List<CheckResult> results = check(stub.settings(500));

      assertThat(results)
          .extracting(CheckResult::check, CheckResult::status)
          .containsExactly(
              org.assertj.core.api.Assertions.tuple("wolves dns", CheckResult.Status.OK),
              org.assertj.core.api.Assertions.tuple("wolves tcp", CheckResult.Status.OK),
              org.assertj.core.api.Assertions.tuple("wolves api", CheckResult.Status.OK));
      assertThat(results.get(2).measured())
          .contains("/etc/skynet-accounts/wolves-key is accepted: 10 members listed");
      assertThat(stub.requests())
          .singleElement()
          .satisfies(r -> assertThat(r.parameters()).containsEntry("page_size", "1"));
    }
  }

  @Test
  void aRefusedKeyFailsWithTheFileToFix() throws Exception {
    try (WolvesStub stub = WolvesStub.start()) {
      stub.otherwise(request -> WolvesStub.unauthorised());

      CheckResult api = check(stub.settings(500)).get(2);

      assertThat(api.status()).isEqualTo(CheckResult.Status.FAILED);
      assertThat(api.measured())
          .contains("refused the key from /etc/skynet-accounts/wolves-key (HTTP 401");
      assertThat(api.advice()).contains("wolves.api-key-file");
    }
  }

  @Test
  void aNameThatDoesNotResolveStopsAtTheDnsLine() throws Exception {
    WolvesApiSettings settings =
        new WolvesApiSettings(
            URI.create("https://wolves.invalid/api/get_members"),
            "POST",
            "X-AM-Identity",
            "k",
            "/etc/skynet-accounts/wolves-key",
            WolvesApiSettings.Fields.WOLVES_DEFAULTS,
            500,
            java.time.Duration.ofSeconds(2),
            0);

    List<CheckResult> results = check(settings);

    assertThat(results)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.check()).isEqualTo("wolves dns");
              assertThat(r.status()).isEqualTo(CheckResult.Status.FAILED);
              assertThat(r.advice()).contains("wolves.api-url");
            });
  }

  @Test
  void notConfiguredIsOneSkippedLine() throws Exception {
    assertThat(check(WolvesApiSettings.NOT_CONFIGURED))
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.check()).isEqualTo("wolves api");
              assertThat(r.status()).isEqualTo(CheckResult.Status.SKIPPED);
              assertThat(r.measured()).contains("not configured");
            });
  }
}
