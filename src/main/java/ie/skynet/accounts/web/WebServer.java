package ie.skynet.accounts.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Javalin on Jetty with virtual threads, the security headers and CSRF check every
 * request gets, the home page, {@code /health/live}, and error pages that never show internals.
 */
public final class WebServer implements AutoCloseable {
  /** The request attribute holding the CSRF token; forms post it back in a field of this name. */
  public static final String CSRF_ATTRIBUTE = "csrf";

  /** The request attribute holding the client's address (behind a proxy: the proxy's view). */
  public static final String CLIENT_ATTRIBUTE = "client-address";

  private static final Logger log = LoggerFactory.getLogger(WebServer.class);
  private static final Set<HandlerType> UNSAFE =
      Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);

  /** Pages are self-contained: no scripts at all, styles and forms from this origin only. */
  private static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self';"
          + " frame-ancestors 'none'; base-uri 'none'";

  private final Javalin javalin;
  private final TemplateEngine pages =
      TemplateEngine.createPrecompiled(
          null,
          ContentType.Html,
          WebServer.class.getClassLoader(),
          "ie.skynet.accounts.templates.pages");
  private final SecureRandom random;

  /**
   * @param routes the features' routes, added after the shared ones
   */
  public WebServer(WebSettings settings, SecureRandom random, List<Consumer<RoutesConfig>> routes) {
    this.random = random;
    Csrf csrf = new Csrf(random, settings.secure());
    byte[] css = resource("web/site.css");
    this.javalin =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              config.concurrency.useVirtualThreads = true;
              config.jetty.host = settings.host();
              config.jetty.port = settings.port();
              config.http.maxRequestSize = 64 * 1024; // forms are small; refuse anything larger
              config.routes.before(
                  ctx -> {
                    headers(ctx, settings);
                    ctx.attribute(CLIENT_ATTRIBUTE, clientAddress(ctx, settings));
                    if (UNSAFE.contains(ctx.method()) && !csrf.accepts(ctx)) {
                      throw new CsrfRefusedException();
                    }
                    ctx.attribute(CSRF_ATTRIBUTE, csrf.tokenFor(ctx));
                  });
              config.routes.after(
                  ctx -> {
                    // Pages hold names such as Seán: say the encoding, never leave it to guessing.
                    if ("text/html".equals(ctx.res().getContentType())) {
                      ctx.contentType("text/html; charset=utf-8");
                    }
                  });
              config.routes.get("/", ctx -> ctx.html(render("home.jte", Map.of())));
              config.routes.get("/health/live", ctx -> ctx.result("ok"));
              config.routes.get(
                  "/assets/site.css",
                  ctx ->
                      ctx.header("Cache-Control", "public, max-age=3600")
                          .contentType("text/css; charset=utf-8")
                          .result(css));
              routes.forEach(r -> r.accept(config.routes));
              config.routes.exception(
                  CsrfRefusedException.class,
                  (e, ctx) ->
                      error(
                          ctx,
                          403,
                          "This form has expired",
                          "The form was too old, or was not sent from this site. Go back, reload"
                              + " the page, and send it again.",
                          ""));
              config.routes.exception(
                  Exception.class,
                  (e, ctx) -> {
                    String reference = incident();
                    log.error("{} {} failed (incident {})", ctx.method(), ctx.path(), reference, e);
                    error(
                        ctx,
                        500,
                        "Something went wrong on our side",
                        "Nothing you did caused this, and nothing was half done. Try again in a"
                            + " minute.",
                        reference);
                  });
              config.routes.error(
                  404,
                  ctx -> {
                    String type = ctx.res().getContentType();
                    if (type != null && type.startsWith("text/html")) {
                      return; // a route's own "not found" page, such as an unknown link's
                    }
                    error(
                        ctx,
                        404,
                        "Page not found",
                        "There is no page at this address. If you followed a link from a mail,"
                            + " check that it was copied whole.",
                        "");
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

  private void error(Context ctx, int status, String heading, String message, String reference) {
    ctx.status(status)
        .html(
            render(
                "error.jte",
                Map.of("heading", heading, "message", message, "reference", reference)));
  }

  private String render(String template, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    pages.render(template, params, out);
    return out.toString();
  }

  private static void headers(Context ctx, WebSettings settings) {
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("Referrer-Policy", "no-referrer"); // links carry one-time tokens
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
      String forwarded = ctx.header("X-Forwarded-For");
      if (forwarded != null && !forwarded.isBlank()) {
        // The last hop is the one our proxy appended; earlier ones are whatever the client sent.
        String[] hops = forwarded.split(",");
        return hops[hops.length - 1].strip();
      }
    }
    return ctx.req().getRemoteAddr();
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

  /** A form arrived without the token of this browser's session. */
  private static final class CsrfRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CsrfRefusedException() {
      super("form token missing or wrong", null, false, false);
    }
  }
}
