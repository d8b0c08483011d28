package ie.skynet.accounts.http;

import java.net.URI;

/**
 * Where members reach the service, as configured ({@code web.base-url}): every link in a mail
 * starts here, never with a request's Host header, which whoever sends the request chooses.
 *
 * @param uri the configured URL; with or without a trailing '/', which links do not double
 */
public record BaseUrl(URI uri) {
  /**
   * The link to a path of the service, such as {@code /signup/<token>}.
   *
   * @param path from the root, starting with '/'
   */
  public String link(String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("a link's path starts with '/': " + path);
    }
    String base = uri.toString();
    return (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
  }
}
