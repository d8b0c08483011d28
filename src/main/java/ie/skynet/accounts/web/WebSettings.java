package ie.skynet.accounts.web;

import java.net.URI;

/**
 * @param host the address to listen on
 * @param baseUrl where members reach the service; an https base URL means a TLS proxy is in front,
 *     so cookies are marked Secure and HSTS is sent
 * @param trustForwardedFor take the client's address from the last {@code X-Forwarded-For} hop,
 *     which only a reverse proxy in front may set
 * @param metrics whether {@code /metrics} is served (the Prometheus text format, no login)
 */
public record WebSettings(
    String host, int port, URI baseUrl, boolean trustForwardedFor, boolean metrics) {
  public boolean secure() {
    return "https".equalsIgnoreCase(baseUrl.getScheme());
  }
}
