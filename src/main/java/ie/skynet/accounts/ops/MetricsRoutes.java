package ie.skynet.accounts.ops;

import io.javalin.config.RoutesConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;

/**
 * {@code GET /metrics}: every meter of the registry in the Prometheus text format. The gauges that
 * read the database (outbox backlog, import history) are refreshed first, one query each, so a
 * scrape shows one moment.
 */
public final class MetricsRoutes {
  /** The Prometheus text format that {@link PrometheusMeterRegistry#scrape()} writes. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final List<Runnable> beforeScrape;

  /**
   * @param beforeScrape run before each scrape: the refreshes of gauges read from the database
   */
  public MetricsRoutes(PrometheusMeterRegistry registry, List<Runnable> beforeScrape) {
    this.registry = registry;
    this.beforeScrape = List.copyOf(beforeScrape);
  }

  /**
   * @param path where to serve them; the web layer must set no cookie there
   */
  public void addTo(RoutesConfig routes, String path) {
    routes.get(
        path,
        ctx -> {
          beforeScrape.forEach(Runnable::run);
          ctx.contentType(CONTENT_TYPE).result(registry.scrape());
        });
  }
}
