package ie.skynet.accounts.membership;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A Wolves API on loopback, over a real HTTP server (the JDK's): it answers what a test scripts, by
 * default the sample list ({@code samples/members-api.json}) to the right key and 401 to any other,
 * and records every request.
 */
public final class WolvesStub implements AutoCloseable {
  public static final Path SAMPLE = Path.of("samples/members-api.json");
  public static final String KEY = "test-key-7f3a9c";
  public static final String PATH = "/api/get_members";

  /** What the stub was asked. */
  public record Request(String method, @Nullable String query, @Nullable String key) {
    /** The query's parameters, e.g. page and page_size. */
    public Map<String, String> parameters() {
      Map<String, String> out = new HashMap<>();
      if (query != null) {
        for (String pair : query.split("&")) {
          int eq = pair.indexOf('=');
          out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
      return out;
    }
  }

  /**
   * What the stub answers: a status and a body as it is sent, byte for byte.
   *
   * @param stall send the headers and half the body, then nothing for a few seconds
   */
  public record Answer(int status, String body, boolean stall) {
    public Answer(int status, String body) {
      this(status, body, false);
    }

    public static Answer ok(String body) {
      return new Answer(200, body);
    }

    /** The sample, stalling halfway through its body. */
    public static Answer stalled() {
      return new Answer(200, sample(), true);
    }
  }

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
  private final Deque<Answer> next = new ConcurrentLinkedDeque<>();
  private volatile Function<Request, Answer> otherwise;

  private WolvesStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    otherwise = request -> KEY.equals(request.key()) ? Answer.ok(sample()) : unauthorised();
    server.createContext(PATH, this::handle);
    server.setExecutor(handlers); // a stalled answer must not hold up the next
    server.start();
  }

  public static WolvesStub start() {
    try {
      return new WolvesStub();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The members endpoint, as {@code wolves.api-url} names it. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + PATH);
  }

  /** Settings for this stub, as the defaults but for the URL and key; pages of {@code size}. */
  public WolvesApiSettings settings(int pageSize) {
    return new WolvesApiSettings(
        url(),
        "POST",
        "X-AM-Identity",
        KEY,
        "/etc/skynet-accounts/wolves-key",
        WolvesApiSettings.Fields.WOLVES_DEFAULTS,
        pageSize,
        Duration.ofSeconds(5),
        3);
  }

  /** Answers these, in order, before going back to the default. */
  public WolvesStub then(Answer... answers) {
    next.addAll(List.of(answers));
    return this;
  }

  /** Answers every request not scripted by {@link #then} this way. */
  public WolvesStub otherwise(Function<Request, Answer> answer) {
    this.otherwise = answer;
    return this;
  }

  public List<Request> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  public static String sample() {
    try {
      return Files.readString(SAMPLE, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Answer unauthorised() {
    return new Answer(401, "{\"success\":0,\"error\":\"invalid identity\"}");
  }

  /**
   * The sample's members in pages of {@code size}, each answer saying how many pages there are: the
   * paging this service asks for.
   */
  public static Function<Request, Answer> paged(List<JsonNode> members) {
    return request -> {
      Map<String, String> parameters = request.parameters();
      int size = Integer.parseInt(parameters.get("page_size"));
      int page = Integer.parseInt(parameters.get("page"));
      int pages = Math.max(1, (members.size() + size - 1) / size);
      return Answer.ok(
          envelope(
              members.subList(
                  Math.min((page - 1) * size, members.size()),
                  Math.min(page * size, members.size())),
              pages));
    };
  }

  /** The sample's members, one node each, to edit or page. */
  public static List<JsonNode> sampleMembers() {
    try {
      List<JsonNode> out = new ArrayList<>();
      new ObjectMapper().readTree(sample()).get("result").forEach(out::add);
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** An answer listing these members; {@code pages} null leaves the field out. */
  public static String envelope(List<JsonNode> members, @Nullable Integer pages) {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("success", 1);
    if (pages != null) {
      root.put("pages", pages);
    }
    ArrayNode result = root.putArray("result");
    members.forEach(result::add);
    return root.toString();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      Request request =
          new Request(
              exchange.getRequestMethod(),
              exchange.getRequestURI().getRawQuery(),
              exchange.getRequestHeaders().getFirst("X-AM-Identity"));
      requests.add(request);
      Answer scripted = next.poll();
      Answer answer = scripted != null ? scripted : otherwise.apply(request);
      byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        if (answer.stall()) {
          out.write(body, 0, body.length / 2);
          out.flush();
          sleep(Duration.ofSeconds(4));
        }
        out.write(
            body,
            answer.stall() ? body.length / 2 : 0,
            answer.stall() ? body.length - body.length / 2 : body.length);
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    handlers.shutdownNow(); // ends a stall at once
  }
}
