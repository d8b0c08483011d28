package ie.skynet.accounts.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ie.skynet.accounts.outbox.SmtpSettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Doctor's SPF, DMARC and reverse DNS lines, against DNS answers the test writes. */
class DeliverabilityProbeTest {
  private static final InetAddress RELAY = address("192.0.2.25");
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  /** Names to addresses, as the test says; any other name does not exist. */
  private final Map<String, List<InetAddress>> hosts = new LinkedHashMap<>();

  private final Resolver resolver =
      host -> {
        List<InetAddress> found = hosts.get(host);
        if (found == null) {
          throw new UnknownHostException(host);
        }
        return found;
      };

  DeliverabilityProbeTest() {
    hosts.put("relay.skynet.ie", List.of(RELAY));
    hosts.put("mail.skynet.ie", List.of(RELAY));
  }

  @Test
  void aDomainThatPublishesEverythingPasses() {
    ScriptedMailDns dns =
        new ScriptedMailDns()
            .txt("skynet.ie", "google-site-verification=abc", "v=spf1 ip4:192.0.2.0/24 -all")
            .txt("_dmarc.skynet.ie", "v=DMARC1; p=quarantine; rua=mailto:postmaster@skynet.ie")
            .reverse(RELAY, "mail.skynet.ie");

    Map<String, CheckResult> lines = check("Skynet Accounts <accounts@skynet.ie>", dns);

    assertThat(lines).containsOnlyKeys("mail spf", "mail dmarc", "mail reverse dns");
    assertThat(lines.values()).allMatch(r -> r.status() == CheckResult.Status.OK);
    assertThat(lines.get("mail spf").measured())
        .contains("v=spf1 ip4:192.0.2.0/24 -all", "192.0.2.25 pass by ip4:192.0.2.0/24");
    assertThat(lines.get("mail dmarc").measured()).contains("(p=quarantine)");
    assertThat(lines.get("mail reverse dns").measured())
        .isEqualTo("192.0.2.25 (relay.skynet.ie) is mail.skynet.ie, which resolves back to it");
  }

  @Test
  void aDomainThatPublishesNothingGetsThreeWarningsSayingWhatToPublishAndDoctorStillPasses() {
    List<CheckResult> results = new ArrayList<>();
    probe("accounts@skynet.ie", new ScriptedMailDns()).check(results);
    Map<String, CheckResult> lines = byName(results);

    assertThat(lines.values()).allMatch(r -> r.status() == CheckResult.Status.WARN);
    assertThat(lines.get("mail spf").measured()).contains("no SPF record for skynet.ie");
    assertThat(lines.get("mail spf").advice()).contains("\"v=spf1 ip4:192.0.2.25 -all\"", "junk");
    assertThat(lines.get("mail dmarc").advice()).contains("_dmarc.skynet.ie", "v=DMARC1; p=none");
    assertThat(lines.get("mail reverse dns").measured())
        .isEqualTo("192.0.2.25 (relay.skynet.ie) has no reverse name");
    assertThat(lines.get("mail reverse dns").advice()).contains("PTR record");
    assertThat(Doctor.passed(results)).isTrue();
  }

  @Test
  void anSpfRecordThatLeavesTheRelayOutIsAWarningNamingWhatToAdd() {
    ScriptedMailDns dns = new ScriptedMailDns().txt("skynet.ie", "v=spf1 ip4:198.51.100.0/24 ~all");

    CheckResult spf = check("accounts@skynet.ie", dns).get("mail spf");

    assertThat(spf.status()).isEqualTo(CheckResult.Status.WARN);
    assertThat(spf.measured()).contains("192.0.2.25 softfail by ~all");
    assertThat(spf.advice()).contains("add ip4:192.0.2.25");
  }

  @Test
  void anSpfRecordMayNameTheRelayByItsHostName() {
    ScriptedMailDns dns = new ScriptedMailDns().txt("skynet.ie", "v=spf1 a:relay.skynet.ie -all");

    CheckResult spf = check("accounts@skynet.ie", dns).get("mail spf");

    assertThat(spf.status()).isEqualTo(CheckResult.Status.OK);
    assertThat(spf.measured()).contains("pass by a:relay.skynet.ie");
  }

  @Test
  void anAMechanismWithBothPrefixLengthsUsesTheOneForTheRelaysFamily() {
    ScriptedMailDns dns =
        new ScriptedMailDns().txt("skynet.ie", "v=spf1 a:mail.skynet.ie/24//64 -all");
    hosts.put("mail.skynet.ie", List.of(address("192.0.2.1")));

    CheckResult spf = check("accounts@skynet.ie", dns).get("mail spf");

    assertThat(spf.status()).isEqualTo(CheckResult.Status.OK);
    assertThat(spf.measured()).contains("pass by a:mail.skynet.ie/24//64");
  }

  @Test
  void aRelayOnAPrivateNetworkIsSkippedToo() {
    hosts.put("relay.lan", List.of(address("10.0.0.25")));
    ScriptedMailDns dns = new ScriptedMailDns();
    List<CheckResult> results = new ArrayList<>();
    new DeliverabilityProbe(settings("relay.lan", "accounts@skynet.ie"), resolver, dns)
        .check(results);

    assertThat(results)
        .singleElement()
        .satisfies(r -> assertThat(r.status()).isEqualTo(CheckResult.Status.SKIPPED));
    assertThat(dns.asked).isEmpty();
  }

  @Test
  void anIncludeIsNotFollowedSoTheLineSaysItIsNotDecidedHere() {
    ScriptedMailDns dns =
        new ScriptedMailDns().txt("skynet.ie", "v=spf1 include:_spf.google.com ~all");

    CheckResult spf = check("accounts@skynet.ie", dns).get("mail spf");

    assertThat(spf.status()).isEqualTo(CheckResult.Status.OK);
    assertThat(spf.measured()).contains("not decided here: it rests on include:_spf.google.com");
  }

  @Test
  void twoSpfRecordsAreAWarning() {
    ScriptedMailDns dns =
        new ScriptedMailDns().txt("skynet.ie", "v=spf1 ip4:192.0.2.25 -all", "v=spf1 mx -all");

    CheckResult spf = check("accounts@skynet.ie", dns).get("mail spf");

    assertThat(spf.status()).isEqualTo(CheckResult.Status.WARN);
    assertThat(spf.advice()).contains("keep one");
  }

  @Test
  void aReverseNameThatDoesNotResolveBackIsAWarning() {
    ScriptedMailDns dns = new ScriptedMailDns().reverse(RELAY, "host-192-0-2-25.isp.example");

    CheckResult reverse = check("accounts@skynet.ie", dns).get("mail reverse dns");

    assertThat(reverse.status()).isEqualTo(CheckResult.Status.WARN);
    assertThat(reverse.measured())
        .contains("is host-192-0-2-25.isp.example, which does not resolve back to it");
  }

  @Test
  void aDnsThatDoesNotAnswerIsAWarningThatSaysSo() {
    ScriptedMailDns dns =
        new ScriptedMailDns()
            .failing("skynet.ie")
            .failing("_dmarc.skynet.ie")
            .failing("192.0.2.25");

    Map<String, CheckResult> lines = check("accounts@skynet.ie", dns);

    assertThat(lines.values())
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(CheckResult.Status.WARN);
              assertThat(r.measured()).startsWith("could not be checked: ").contains("timed out");
              assertThat(r.advice()).contains("/etc/resolv.conf");
            });
  }

  @Test
  void aRelayOnThisMachineOrAReservedDomainAsksTheDnsNothing() {
    hosts.put("localhost", List.of(LOOPBACK));
    ScriptedMailDns dns = new ScriptedMailDns();
    List<CheckResult> local = new ArrayList<>();
    new DeliverabilityProbe(settings("localhost", "accounts@skynet.ie"), resolver, dns)
        .check(local);
    List<CheckResult> reserved = new ArrayList<>();
    probe("accounts@skynet.example", dns).check(reserved);

    assertThat(local)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(CheckResult.Status.SKIPPED);
              assertThat(r.measured())
                  .contains("localhost is on this machine or a private network");
            });
    assertThat(reserved)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(CheckResult.Status.SKIPPED);
              assertThat(r.measured()).contains("skynet.example", "reserved name");
            });
    assertThat(dns.asked).isEmpty();
  }

  @Test
  void networksMatchByTheirPrefixAndNamesAreNeverLookedUpAsAddresses() {
    assertThat(DeliverabilityProbe.Spf.inNetwork(RELAY, "192.0.2.0/24")).isTrue();
    assertThat(DeliverabilityProbe.Spf.inNetwork(RELAY, "192.0.2.26/31")).isFalse();
    assertThat(DeliverabilityProbe.Spf.inNetwork(RELAY, "192.0.2.24/31")).isTrue();
    assertThat(DeliverabilityProbe.Spf.inNetwork(RELAY, "192.0.2.25")).isTrue();
    InetAddress six = address("2001:db8::25");
    assertThat(DeliverabilityProbe.Spf.inNetwork(six, "2001:db8::/32")).isTrue();
    assertThat(DeliverabilityProbe.Spf.inNetwork(six, "2001:db9::/32")).isFalse();
    assertThat(DeliverabilityProbe.Spf.inNetwork(six, "192.0.2.0/24")).isFalse();
    assertThat(DeliverabilityProbe.Spf.inNetwork(RELAY, "relay.skynet.ie")).isNull();
    assertThat(DeliverabilityProbe.Spf.inNetwork(RELAY, "192.0.2.0/33")).isNull();
    // Not an address, so InetAddress would look it up as a host name: never handed to it.
    assertThat(DeliverabilityProbe.Spf.inNetwork(RELAY, "999.1.1.1")).isNull();
    assertThat(DeliverabilityProbe.Spf.inNetwork(RELAY, "256.0.2.25/24")).isNull();
  }

  private Map<String, CheckResult> check(String from, MailDns dns) {
    List<CheckResult> results = new ArrayList<>();
    probe(from, dns).check(results);
    return byName(results);
  }

  private DeliverabilityProbe probe(String from, MailDns dns) {
    return new DeliverabilityProbe(settings("relay.skynet.ie", from), resolver, dns);
  }

  private static SmtpSettings settings(String host, String from) {
    return new SmtpSettings(
        host, 587, SmtpSettings.Security.STARTTLS, null, null, from, Duration.ofSeconds(5), 2);
  }

  private static Map<String, CheckResult> byName(List<CheckResult> results) {
    Map<String, CheckResult> byName = new LinkedHashMap<>();
    results.forEach(r -> byName.put(r.check(), r));
    return byName;
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
