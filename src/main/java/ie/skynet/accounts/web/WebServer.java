package ie.skynet.accounts.web;

import ie.skynet.accounts.db.AuditLog;
import ie.skynet.accounts.http.RequestAttributes;
import ie.skynet.accounts.templates.ErrorPage;
import ie.skynet.accounts.templates.Pages;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.javalin.router.EndpointNotFound;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.ServerSocketChannel;
import java.security.SecureRandom;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin on Jetty, the security headers and CSRF check every request gets, the
 * home page, {@code /health/live}, and error pages that never show internals.
 */
public final class WebServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebServer.class);
  private static final int MAX_FORM = 64 * 1024;

  /** Where the JSON API of the society's previous backend lives; no forms, no pages. */
  public static final String API_PREFIX = "/ldap/";

  /** Where Prometheus scrapes; like the health checks, a page for machines: no cookie. */
  public static final String METRICS_PATH = "/metrics";

  private static final String FORM = "application/x-www-form-urlencoded";
  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();
  private static final Set<HandlerType> UNSAFE =
      Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);

  /** Pages are self-contained: no scripts at all, styles and forms from this origin only. */
  private static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
          + " frame-ancestors 'none'; base-uri 'none'";

  private final Javalin javalin;
  private final SecureRandom random;
  private final Pages pages;

  /**
   * @param csrfKey the key that signs form tokens: 32 bytes, kept where every instance finds it
   * @param routes the features' routes, added after the shared ones
   * @param metrics where every request is timed ({@code http.server.requests})
   * @param bound a socket already bound to the port of {@code settings}' base URL, adopted instead
   *     of binding the configured host and port (dev picks its port before it can write links);
   *     null to bind them
   */
  public WebServer(
      WebSettings settings,
      SecureRandom random,
      byte[] csrfKey,
      Pages pages,
      List<Consumer<RoutesConfig>> routes,
      MeterRegistry metrics,
      Consumer<AuditLog.Entry> audit,
      @Nullable ServerSocketChannel bound) {
    this.random = random;
    this.pages = pages;
    Csrf csrf = new Csrf(random, csrfKey, origin(settings), settings.secure());
    byte[] css = resource("web/site.css");
    byte[] openapi = resource("web/openapi.yaml");
    this.javalin =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              // Platform threads, not virtual ones (DESIGN.md's choice; README says why): a request
              // waiting on SQLite's write lock waits inside native code, which pins a virtual
              // thread's carrier, and on 2 cores two such waits stalled every other request.
              config.concurrency.useVirtualThreads = false;
              config.jetty.host = settings.host();
              config.jetty.port = settings.port();
              if (bound != null) {
                config.jetty.addConnector((server, http) -> adopt(server, http, bound));
              }
              // Forms are small: refuse anything larger, multipart included (it bypasses the
              // first).
              config.http.maxRequestSize = MAX_FORM;
              config.jetty.multipartConfig.maxTotalRequestSize(MAX_FORM, SizeUnit.BYTES);
              config.jetty.multipartConfig.maxFileSize(MAX_FORM, SizeUnit.BYTES);
              // After everything, errors included. Tagged with the route's pattern, never the
              // path: paths carry one-time tokens, and each would make a series of its own.
              config.requestLogger.http(
                  (ctx, millis) ->
                      Timer.builder("http.server.requests")
                          .description("HTTP requests, by route pattern, method and status")
                          .tag("route", matchedRoute(ctx))
                          // Any word is a method to Javalin: only the known ones become series.
                          .tag(
                              "method",
                              HandlerType.commonHttp().contains(ctx.method())
                                  ? ctx.method().name()
                                  : "OTHER")
                          .tag("status", Integer.toString(ctx.statusCode()))
                          .register(metrics)
                          .record((long) (millis * 1_000_000.0), TimeUnit.NANOSECONDS));
              config.routes.before(
                  ctx -> {
                    headers(ctx, settings);
                    RequestAttributes.setClientAddress(ctx, clientAddress(ctx, settings));
                    boolean api = isApi(ctx);
                    if (UNSAFE.contains(ctx.method())) {
                      // Decided before anything reads the body.
                      if (!hasType(ctx, api ? "application/json" : FORM)) {
                        throw new NotAFormException();
                      }
                      if (api ? !csrf.fromOurOrigin(ctx) : !csrf.accepts(ctx)) {
                        throw new CsrfRefusedException();
                      }
                    }
                    if (!api
                        && !ctx.path().startsWith("/assets/")
                        && !ctx.path().startsWith("/health/")
                        && !ctx.path().equals(METRICS_PATH)) {
                      // Pages only: the others get no cookie.
                      RequestAttributes.setCsrfToken(ctx, csrf.tokenFor(ctx));
                    }
                  });
              config.routes.after(
                  ctx -> {
                    // Pages hold names such as Seán: say the encoding, never leave it to guessing.
                    if ("text/html".equals(ctx.res().getContentType())) {
                      ctx.contentType("text/html; charset=utf-8");
                    }
                  });
              config.routes.get("/health/live", ctx -> ctx.result("ok"));
              config.routes.get(
                  "/assets/site.css",
                  ctx ->
                      ctx.header("Cache-Control", "public, max-age=3600")
                          .contentType("text/css; charset=utf-8")
                          .result(css));
              config.routes.get(
                  "/api/openapi.yaml",
                  ctx -> ctx.contentType("application/yaml; charset=utf-8").result(openapi));
              routes.forEach(r -> r.accept(config.routes));
              config.routes.exception(
                  CsrfRefusedException.class,
                  (e, ctx) -> {
                    audit.accept(
                        new AuditLog.Entry(
                            AuditLog.ANONYMOUS,
                            "csrf-refused",
                            AuditLog.ANONYMOUS,
                            RequestAttributes.clientAddress(ctx),
                            AuditLog.Outcome.REFUSED,
                            ctx.method()
                                + " "
                                + ctx.path()
                                + (ctx.header("Origin") == null
                                    ? " with no Origin"
                                    : " from Origin " + ctx.header("Origin"))));
                    error(
                        ctx,
                        403,
                        "This form has expired",
                        "The form was too old, or was not sent from "
                            + settings.baseUrl()
                            + ". Open the page there, reload it, and send it again.",
                        "requests must come from " + origin(settings) + " or name no origin",
                        "");
                  });
              config.routes.exception(
                  NotAFormException.class,
                  (e, ctx) ->
                      error(
                          ctx,
                          415,
                          "This is not a form we know",
                          "Only the forms on these pages can be sent here.",
                          "send the body as application/json",
                          ""));
              config.routes.exception(
                  EndpointNotFound.class,
                  (e, ctx) -> {
                    if (!isApi(ctx)) {
                      Optional<String> retry = retryOfMailedLink(ctx.path());
                      if (retry.isPresent()) {
                        ctx.status(404)
                            .html(
                                pages.render(
                                    new ErrorPage(
                                        "This link does not work",
                                        "This is not a whole link from one of our mails: a mail"
                                            + " program may have broken it across lines. Ask"
                                            + " for a new one.",
                                        "",
                                        retry.get(),
                                        "Ask for a new link")));
                        return;
                      }
                    }
                    error(
                        ctx,
                        404,
                        "Page not found",
                        "There is no page at this address. If you followed a link from a mail,"
                            + " check that it was copied whole.",
                        "no such route: see /api/openapi.yaml",
                        "");
                  });
              config.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    String reference = incident();
                    // The route, never the path: paths carry one-time tokens.
                    log.error("{} {} failed (incident {})", ctx.method(), route(ctx), reference, e);
                    error(
                        ctx,
                        500,
                        "Something went wrong on our side",
                        "Nothing you did caused this, and nothing was half done. Try again in a"
                            + " minute.",
                        "internal error on our side; nothing was half done; try again in a minute",
                        reference);
                  });
            });
  }

  public WebServer start() {
    javalin.start();
    return this;
  }

  /** The port listened on: the configured one, or the one picked when 0 was configured. */
  public int port() {
    return javalin.port();
  }

  @Override
  public void close() {
    javalin.stop();
  }

  private String incident() {
    byte[] bytes = new byte[6];
    random.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  /**
   * An error page, or for the JSON API the body its callers expect: {@code result} and {@code
   * error}, with the incident id when there is one.
   */
  private void error(
      Context ctx, int status, String heading, String message, String apiError, String reference) {
    if (isApi(ctx)) {
      Map<String, String> body = new java.util.LinkedHashMap<>();
      body.put("result", "error");
      body.put("error", apiError);
      if (!reference.isEmpty()) {
        body.put("incident", reference);
      }
      try {
        ctx.status(status)
            .contentType("application/json; charset=utf-8")
            .result(JSON.writeValueAsString(body));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException("a map of strings always serialises", e);
      }
      return;
    }
    ctx.status(status).html(pages.render(new ErrorPage(heading, message, reference)));
  }

  /**
   * Where to ask again when a path looks like a mailed link that was mangled (cut short, or with a
   * line break's worth of extra path): the page that mails that kind of link.
   */
  private static Optional<String> retryOfMailedLink(String path) {
    for (String[] prefix :
        new String[][] {
          {"/signup/", "/signup"},
          {"/recover/password/", "/recover/password"},
          {"/account/email/", "/account"}
        }) {
      if (path.startsWith(prefix[0])) {
        return Optional.of(prefix[1]);
      }
    }
    return Optional.empty();
  }

  private static boolean isApi(Context ctx) {
    return ctx.path().startsWith(API_PREFIX);
  }

  private static boolean hasType(Context ctx, String expected) {
    String type = ctx.contentType();
    return type != null && type.toLowerCase(Locale.ROOT).startsWith(expected);
  }

  private static void headers(Context ctx, WebSettings settings) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    // Links carry one-time tokens, so no other site may see our addresses as a referrer. Not
    // no-referrer: under it browsers send "Origin: null" with every form, and the CSRF check
    // needs the real one. same-origin keeps both: the full origin to us, nothing to others.
    ctx.header("Referrer-Policy", "same-origin");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Cross-Origin-Opener-Policy", "same-origin");
    ctx.header("Cache-Control", "no-store"); // pages hold form tokens and personal details
    if (settings.secure()) {
      ctx.header("Strict-Transport-Security", "max-age=31536000");
    }
  }

  private static String clientAddress(Context ctx, WebSettings settings) {
    if (settings.trustForwardedFor()) {
      // The last hop is the one our proxy added; earlier ones are whatever the client sent. Some
      // proxies add a header line of their own rather than extending the client's.
      List<String> lines = Collections.list(ctx.req().getHeaders("X-Forwarded-For"));
      if (!lines.isEmpty()) {
        String[] hops = lines.get(lines.size() - 1).split(",");
        String last = hops[hops.length - 1].strip();
        if (!last.isEmpty()) {
          return last;
        }
      }
    }
    return ctx.req().getRemoteAddr();
  }

  /** scheme://host[:port] of the base URL, as browsers write it in an Origin header. */
  static String origin(WebSettings settings) {
    var url = settings.baseUrl();
    String scheme = url.getScheme().toLowerCase(Locale.ROOT);
    int port = url.getPort();
    boolean defaultPort =
        port == -1
            || (scheme.equals("http") && port == 80)
            || (scheme.equals("https") && port == 443);
    return scheme
        + "://"
        + url.getHost().toLowerCase(Locale.ROOT)
        + (defaultPort ? "" : ":" + port);
  }

  private static String route(Context ctx) {
    try {
      return ctx.endpoint().path;
    } catch (RuntimeException e) {
      return "(no route)";
    }
  }

  /** The pattern of the route that answered, such as /signup/{token}; "unmatched" for none. */
  private static String matchedRoute(Context ctx) {
    Endpoint endpoint = ctx.endpoints().matchedHttpEndpoint();
    return endpoint == null ? "unmatched" : endpoint.path;
  }

  /** A connector on a socket bound already: Jetty then binds nothing itself. */
  private static ServerConnector adopt(
      Server server, HttpConfiguration http, ServerSocketChannel bound) {
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    try {
      connector.open(bound);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot adopt the bound web socket", e);
    }
    return connector;
  }

  private static byte[] resource(String name) {
    try (InputStream in = WebServer.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An unsafe request whose body is not a form: nothing here takes anything else. */
  private static final class NotAFormException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NotAFormException() {
      super("not application/x-www-form-urlencoded", null, false, false);
    }
  }

  /** A form arrived without the token of this browser's session. */
  private static final class CsrfRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CsrfRefusedException() {
      super("form token missing or wrong", null, false, false);
    }
  }
}
