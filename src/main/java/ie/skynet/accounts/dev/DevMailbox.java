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
   * The site's policy, loosened for the HTML part's srcdoc frame, which inherits it: style
   * attributes, since mails carry their styles inline as mail clients want them, and framing by
   * this origin, since the frame's document is framed by the mailbox page (the site's 'none' left
   * it blank). Scripts stay forbidden, in the page and (by its sandbox) in the frame.
   */
  static final String MAILBOX_POLICY =
      "default-src 'none'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self';"
          + " form-action 'self'; frame-ancestors 'self'; base-uri 'none'";

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
      mails.add(read(message.getMimeMessage(), message.getReceivedDate().toInstant()));
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
    ctx.header("Content-Security-Policy", MAILBOX_POLICY);
    ctx.html(pages.render(new MailboxPage(mails())));
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

  private static DevMail read(MimeMessage message, Instant received) {
    try {
      Address[] to = message.getAllRecipients();
      String text = part(message, "text/plain");
      return new DevMail(
          to == null ? "" : String.join(", ", Arrays.stream(to).map(Address::toString).toList()),
          message.getSubject() == null ? "" : message.getSubject(),
          received,
          runs(text == null ? "" : text),
          part(message, "text/html"));
    } catch (MessagingException | IOException e) {
      return new DevMail(
          "?", "(unreadable mail: " + e.getMessage() + ")", received, List.of(), null);
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
