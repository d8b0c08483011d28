package ie.skynet.accounts.ops;

import ie.skynet.accounts.membership.WolvesApi;
import ie.skynet.accounts.membership.WolvesApiException;
import ie.skynet.accounts.membership.WolvesApiSettings;
import java.net.URI;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The Wolves API as {@code sync-wolves} uses it, when it is configured: its name, the connection,
 * TLS and its certificate, then one request for a page of one member, which says whether the key is
 * accepted. Nothing is imported.
 */
record WolvesApiProbe(
    WolvesApiSettings settings, Resolver resolver, SSLContext trust, Clock clock) {

  void check(List<CheckResult> out) {
    if (!settings.configured()) {
      out.add(
          CheckResult.skipped(
              "wolves api",
              "wolves.api-url is empty: not configured (members come from import-csv)"));
      return;
    }
    URI url = settings.endpoint();
    boolean https = "https".equals(url.getScheme());
    int port = url.getPort() != -1 ? url.getPort() : https ? 443 : 80;
    String host = url.getHost();
    NetworkProbe network = new NetworkProbe(resolver, settings.timeout(), clock);
    NetworkProbe.Reach reach = network.reach("wolves", "wolves.api-url", host, port);
    out.addAll(reach.results());
    if (reach.address() == null) {
      return;
    }
    if (https) {
      CheckResult tls = network.tls("wolves", host, reach.address(), port, trust);
      out.add(tls);
      if (tls.status() == CheckResult.Status.FAILED) {
        return;
      }
    }
    try {
      WolvesApi.Probe probe = new WolvesApi(settings, WolvesApi.SLEEP).probe();
      out.add(
          CheckResult.ok(
              "wolves api",
              "the key from "
                  + settings.keySource()
                  + " is accepted: "
                  + (probe.members() != null
                      ? probe.members() + " members listed, in pages"
                      : probe.onPage() + " members in one answer")
                  + ", in "
                  + probe.took().toMillis()
                  + " ms"));
    } catch (WolvesApiException e) {
      out.add(
          CheckResult.failed(
              "wolves api",
              String.valueOf(e.getMessage()),
              switch (e.kind()) {
                case KEY_REFUSED ->
                    "Ask the Wolves admin for the society's current key, write it alone to the file"
                        + " wolves.api-key-file names, and run doctor again.";
                case UNAVAILABLE ->
                    "The name resolves and the port answers, so the API itself is failing or"
                        + " slow: try again later, or raise wolves.timeout-seconds.";
                case BAD_ANSWER ->
                    "Check wolves.api-url, wolves.api-method and the wolves.field.* names against"
                        + " what the API answers (`accounts sync-wolves --dry-run` says more).";
              }));
    }
  }
}
