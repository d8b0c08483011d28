package ie.skynet.accounts.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import ie.skynet.accounts.templates.Pages;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.NotFoundResponse;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The mail catcher of {@code accounts dev}: a GreenMail SMTP server on loopback, and the pages that
 * show what it caught, {@code /dev/mail} (newest first, links clickable) and {@code
 * /dev/mail.json}.
 */
public final class DevMailbox implements AutoCloseable {
  private static final Pattern LINK = Pattern.compile("https?://[^\\s<>\"]+");

  /**
   * For a mail's HTML part, shown as its own page as a mail app shows it: its inline styles (mail
   * carries its styles inline, as mail clients want them), and nothing else: no scripts, no
   * requests, no forms, no framing.
   */
  static final String HTML_PART_POLICY =
      "default-src 'none'; style-src-attr 'unsafe-inline'; form-action 'none';"
          + " frame-ancestors 'none'; base-uri 'none'";

  private final GreenMail greenMail;

  private final ObjectMapper json = new ObjectMapper();

  private final Pages pages;

  private DevMailbox(GreenMail greenMail, Pages pages) {
    this.greenMail = greenMail;
    this.pages = pages;
  }

  /** Starts catching mail on a loopback port (0 picks a free one). */
  public static DevMailbox start(int port, Pages pages) {
    GreenMail greenMail =
        new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    greenMail.start();
    return new DevMailbox(greenMail, pages);
  }

  public int port() {
    return greenMail.getSmtp().getPort();
  }

  /** Every mail caught so far, newest first. */
  public List<DevMail> mails() {
    List<DevMail> mails = new ArrayList<>();
    for (StoredMessage message : greenMail.getManagers().getImapHostManager().getAllMessages()) {
      mails.add(
          read(message.getMimeMessage(), message.getReceivedDate().toInstant(), mails.size()));
    }
    // Arrival order first, reversed, so mails received in the same millisecond stay newest first.
    Collections.reverse(mails);
    mails.sort(Comparator.comparing(DevMail::received).reversed());
    return mails;
  }

  public void addTo(RoutesConfig routes) {
    // The mailbox holds live signup links: only for pages this machine asked for by a loopback
    // name, so a web page using DNS rebinding (evil.example resolving to 127.0.0.1) cannot read it.
    routes.before(
        "/dev/*",
        ctx -> {
          if (!isLoopbackName(ctx.header("Host"))) {
            throw new ForbiddenResponse("the dev mailbox answers only to localhost or 127.0.0.1");
          }
        });
    routes.get("/dev/mail", this::page);
    routes.get("/dev/mail.json", this::list);
    routes.get("/dev/mail/{number}.html", this::htmlPart);
  }

  static boolean isLoopbackName(@Nullable String host) {
    if (host == null) {
      return false;
    }
    String name = host.toLowerCase(java.util.Locale.ROOT);
    if (name.startsWith("[")) {
      return name.startsWith("[::1]");
    }
    int colon = name.indexOf(':');
    name = colon >= 0 ? name.substring(0, colon) : name;
    return name.equals("localhost") || name.equals("127.0.0.1");
  }

  private void page(Context ctx) {
    ctx.html(pages.render(new MailboxPage(mails())));
  }

  /** A mail's HTML part as the whole page, as a mail app shows it; 404 if there is no such part. */
  private void htmlPart(Context ctx) {
    String html =
        mails().stream()
            .filter(mail -> Integer.toString(mail.number()).equals(ctx.pathParam("number")))
            .map(DevMail::html)
            .filter(java.util.Objects::nonNull)
            .findFirst()
            .orElseThrow(() -> new NotFoundResponse("no mail with an HTML part has that number"));
    ctx.header("Content-Security-Policy", HTML_PART_POLICY);
    ctx.html(html);
  }

  private void list(Context ctx) throws IOException {
    ArrayNode array = json.createArrayNode();
    for (DevMail mail : mails()) {
      ObjectNode node = array.addObject();
      node.put("to", mail.to());
      node.put("subject", mail.subject());
      node.put("text", mail.plainText());
      node.put("html", mail.html());
      ArrayNode links = node.putArray("links");
      mail.links().forEach(links::add);
      node.put("received", mail.received().toString());
    }
    ctx.contentType("application/json").result(json.writeValueAsString(array));
  }

  private static DevMail read(MimeMessage message, Instant received, int number) {
    try {
      Address[] to = message.getAllRecipients();
      String text = part(message, "text/plain");
      return new DevMail(
          to == null ? "" : String.join(", ", Arrays.stream(to).map(Address::toString).toList()),
          message.getSubject() == null ? "" : message.getSubject(),
          received,
          runs(text == null ? "" : text),
          part(message, "text/html"),
          number);
    } catch (MessagingException | IOException e) {
      return new DevMail(
          "?", "(unreadable mail: " + e.getMessage() + ")", received, List.of(), null, number);
    }
  }

  /** The first part of this type, searching nested multiparts; null if there is none. */
  private static @Nullable String part(Part part, String type)
      throws MessagingException, IOException {
    if (part.isMimeType(type)) {
      return part.getContent().toString();
    }
    if (part.getContent() instanceof Multipart multipart) {
      for (int i = 0; i < multipart.getCount(); i++) {
        String text = part(multipart.getBodyPart(i), type);
        if (text != null) {
          return text;
        }
      }
    }
    return null;
  }

  static List<DevMail.Run> runs(String text) {
    List<DevMail.Run> runs = new ArrayList<>();
    Matcher matcher = LINK.matcher(text);
    int at = 0;
    while (matcher.find()) {
      if (matcher.start() > at) {
        runs.add(new DevMail.Run(text.substring(at, matcher.start()), false));
      }
      runs.add(new DevMail.Run(matcher.group(), true));
      at = matcher.end();
    }
    if (at < text.length()) {
      runs.add(new DevMail.Run(text.substring(at), false));
    }
    return runs;
  }

  @Override
  public void close() {
    greenMail.stop();
  }
}
