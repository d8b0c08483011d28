package ie.skynet.accounts.ops;

import ie.skynet.accounts.outbox.SmtpSettings;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Whether members' mail providers will trust our mail: student mail files mail from a domain
 * without SPF and DMARC as junk, and many refuse a relay whose address has no reverse name. Reads
 * the records of the domain of {@code smtp.from} and of the relay {@code smtp.host}; every finding
 * is a warning with what to publish, never a failure, as mail may still arrive.
 */
final class DeliverabilityProbe {
  /** Names that are never real domains (RFC 2606, RFC 6761): their records mean nothing. */
  private static final Pattern RESERVED =
      Pattern.compile("(?i)(.*\\.)?(example|example\\.(com|net|org)|test|invalid|localhost|local)");

  /** Four decimal octets; each is checked to be at most 255 before InetAddress sees it. */
  private static final Pattern IPV4 =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

  /** Hex digits and colons (with an IPv4 tail); InetAddress parses or refuses such text itself. */
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

  private final SmtpSettings smtp;
  private final Resolver resolver;
  private final MailDns dns;

  DeliverabilityProbe(SmtpSettings smtp, Resolver resolver, MailDns dns) {
    this.smtp = smtp;
    this.resolver = resolver;
    this.dns = dns;
  }

  void check(List<CheckResult> out) {
    String domain = domain(smtp.from());
    if (domain == null) {
      out.add(CheckResult.skipped("mail deliverability", "smtp.from has no domain to check"));
      return;
    }
    if (RESERVED.matcher(domain).matches()) {
      out.add(
          CheckResult.skipped(
              "mail deliverability",
              domain + " (smtp.from) is a reserved name, not a domain mail providers look up"));
      return;
    }
    List<InetAddress> relay;
    try {
      relay = resolver.resolve(smtp.host());
    } catch (UnknownHostException e) {
      out.add(
          CheckResult.skipped(
              "mail deliverability", "the relay " + smtp.host() + " (smtp.host) has no address"));
      return;
    }
    if (relay.stream().noneMatch(DeliverabilityProbe::isPublic)) {
      // A mail catcher (dev, tests), a local MTA or one on the society's own network: which
      // address mail leaves from is unknown here.
      out.add(
          CheckResult.skipped(
              "mail deliverability",
              "the relay "
                  + smtp.host()
                  + " is on this machine or a private network; SPF, DMARC and reverse DNS are"
                  + " checked against the relay that sends mail out (smtp.host)"));
      return;
    }
    out.add(spf(domain, relay));
    out.add(dmarc(domain));
    for (InetAddress address : relay) {
      out.add(reverse(address));
    }
  }

  private CheckResult spf(String domain, List<InetAddress> relay) {
    List<String> records;
    try {
      records = dns.txt(domain).stream().filter(DeliverabilityProbe::isSpf).toList();
    } catch (MailDns.LookupFailed e) {
      return unanswered("mail spf", e);
    }
    if (records.isEmpty()) {
      return CheckResult.warn(
          "mail spf",
          "no SPF record for " + domain + " (the domain of smtp.from)",
          "publish a TXT record at "
              + domain
              + " naming the relay, e.g. \"v=spf1 "
              + mechanismFor(relay.get(0))
              + " -all\": student mail providers file mail from a domain without one as junk");
    }
    if (records.size() > 1) {
      return CheckResult.warn(
          "mail spf",
          records.size() + " SPF records for " + domain + ": " + String.join(" | ", records),
          "keep one: with more than one, receivers treat SPF as broken (RFC 7208 4.5)");
    }
    List<String> verdicts = new ArrayList<>();
    boolean allPass = true;
    for (InetAddress address : relay) {
      Spf.Verdict verdict = new Spf(resolver, domain).evaluate(records.get(0), address);
      verdicts.add(address.getHostAddress() + " " + verdict.describe());
      if (verdict.decided() && !verdict.passes()) {
        allPass = false;
      }
    }
    String measured =
        "\"" + records.get(0) + "\" for " + smtp.host() + ": " + String.join("; ", verdicts);
    if (!allPass) {
      return CheckResult.warn(
          "mail spf",
          measured,
          "add " + mechanismFor(relay.get(0)) + " (or the relay's own SPF, by include:) to it");
    }
    return CheckResult.ok("mail spf", measured);
  }

  private CheckResult dmarc(String domain) {
    String name = "_dmarc." + domain;
    List<String> records;
    try {
      records =
          dns.txt(name).stream()
              .filter(r -> r.strip().toLowerCase(Locale.ROOT).startsWith("v=dmarc1"))
              .toList();
    } catch (MailDns.LookupFailed e) {
      return unanswered("mail dmarc", e);
    }
    if (records.size() != 1) {
      return CheckResult.warn(
          "mail dmarc",
          records.isEmpty()
              ? "no DMARC record at " + name
              : records.size() + " DMARC records at " + name + " (receivers ignore them all)",
          "publish one TXT record at "
              + name
              + ", at least \"v=DMARC1; p=none; rua=mailto:postmaster@"
              + domain
              + "\": large mail providers expect one from senders");
    }
    String policy = tag(records.get(0), "p");
    return CheckResult.ok(
        "mail dmarc",
        "\""
            + records.get(0)
            + "\""
            + (policy == null
                ? ""
                : policy.equalsIgnoreCase("none")
                    ? " (p=none: reports only)"
                    : " (p=" + policy + ")"));
  }

  private CheckResult reverse(InetAddress address) {
    String check = "mail reverse dns";
    List<String> names;
    try {
      names = dns.reverse(address);
    } catch (MailDns.LookupFailed e) {
      return unanswered(check, e);
    }
    String relay = address.getHostAddress() + " (" + smtp.host() + ")";
    String ask =
        "ask whoever runs the relay for a PTR record naming a host that resolves back to it";
    if (names.isEmpty()) {
      return CheckResult.warn(
          check,
          relay + " has no reverse name",
          ask + ": mail from an address without one is often refused or filed as junk");
    }
    for (String name : names) {
      try {
        if (resolver.resolve(name).contains(address)) {
          return CheckResult.ok(check, relay + " is " + name + ", which resolves back to it");
        }
      } catch (UnknownHostException e) {
        // tried with the next name; reported below if none resolves back
      }
    }
    return CheckResult.warn(
        check,
        relay + " is " + String.join(", ", names) + ", which does not resolve back to it",
        ask);
  }

  /** An address mail could leave from to the world: not loopback, private or link-local. */
  private static boolean isPublic(InetAddress address) {
    byte[] bytes = address.getAddress();
    boolean uniqueLocal = bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc; // fc00::/7
    return !address.isLoopbackAddress()
        && !address.isSiteLocalAddress()
        && !address.isLinkLocalAddress()
        && !address.isAnyLocalAddress()
        && !uniqueLocal;
  }

  private static CheckResult unanswered(String check, MailDns.LookupFailed e) {
    return CheckResult.warn(
        check,
        "could not be checked: " + e.getMessage(),
        "check that this machine's DNS servers answer (/etc/resolv.conf)");
  }

  private static boolean isSpf(String record) {
    String text = record.strip().toLowerCase(Locale.ROOT);
    return text.equals("v=spf1") || text.startsWith("v=spf1 ");
  }

  private static String mechanismFor(InetAddress address) {
    return (address.getAddress().length == 4 ? "ip4:" : "ip6:") + address.getHostAddress();
  }

  /** The value of a DMARC tag, such as p; null when absent. */
  private static @Nullable String tag(String record, String name) {
    for (String part : record.split(";")) {
      int equals = part.indexOf('=');
      if (equals > 0 && part.substring(0, equals).strip().equalsIgnoreCase(name)) {
        return part.substring(equals + 1).strip();
      }
    }
    return null;
  }

  /** The domain of the sender's address, lower case; null if it has none. */
  static @Nullable String domain(String from) {
    try {
      String address = new InternetAddress(from, true).getAddress();
      int at = address.lastIndexOf('@');
      return at < 0 ? null : address.substring(at + 1).toLowerCase(Locale.ROOT);
    } catch (AddressException e) {
      return null;
    }
  }

  /**
   * What an SPF record says of one address, as far as can be told without following {@code
   * include:}, {@code redirect=}, {@code mx} and the like: the first mechanism that matches
   * decides, as RFC 7208 evaluates; one that cannot be decided here ends the reading.
   */
  record Spf(Resolver resolver, String domain) {
    /**
     * @param result pass, fail, softfail or neutral; null when undecided
     * @param by the mechanism that decided, or that could not be decided
     */
    record Verdict(@Nullable String result, String by) {
      boolean decided() {
        return result != null;
      }

      boolean passes() {
        return "pass".equals(result);
      }

      String describe() {
        if (result == null) {
          return "not decided here: it rests on " + by + ", which doctor does not follow";
        }
        return by.isEmpty() ? result + " (no mechanism matches)" : result + " by " + by;
      }
    }

    Verdict evaluate(String record, InetAddress address) {
      String[] terms = record.strip().split("\\s+");
      for (int i = 1; i < terms.length; i++) { // terms[0] is v=spf1
        String term = terms[i];
        if (term.isEmpty()) {
          continue;
        }
        char first = term.charAt(0);
        String qualifier = "+-~?".indexOf(first) >= 0 ? String.valueOf(first) : "+";
        String mechanism = "+-~?".indexOf(first) >= 0 ? term.substring(1) : term;
        String lower = mechanism.toLowerCase(Locale.ROOT);
        if (lower.startsWith("redirect=")) {
          return new Verdict(null, term);
        }
        if (lower.contains("=")) {
          continue; // another modifier, such as exp=
        }
        Boolean matches = matches(lower, mechanism, address);
        if (matches == null) {
          return new Verdict(null, term);
        }
        if (matches) {
          return new Verdict(result(qualifier), term);
        }
      }
      return new Verdict("neutral", "");
    }

    /** Whether the mechanism matches the address; null when it cannot be told here. */
    private @Nullable Boolean matches(String lower, String mechanism, InetAddress address) {
      if (lower.equals("all")) {
        return true;
      }
      if (lower.startsWith("ip4:") || lower.startsWith("ip6:")) {
        return inNetwork(address, mechanism.substring(4));
      }
      if (lower.equals("a") || lower.startsWith("a:") || lower.startsWith("a/")) {
        // a[:domain][/ip4-length][//ip6-length] (RFC 7208 5.3)
        String rest = mechanism.substring(1);
        String host = domain;
        if (rest.startsWith(":")) {
          int slash = rest.indexOf('/');
          host = slash < 0 ? rest.substring(1) : rest.substring(1, slash);
          rest = slash < 0 ? "" : rest.substring(slash);
        }
        if (host.indexOf('%') >= 0) {
          return null; // a macro, expanded only by a real SPF evaluation
        }
        String four = rest;
        String six = "";
        int doubled = rest.indexOf("//");
        if (doubled >= 0) {
          four = rest.substring(0, doubled);
          six = rest.substring(doubled + 1);
        }
        try {
          for (InetAddress candidate : resolver.resolve(host)) {
            String length = candidate.getAddress().length == 4 ? four : six;
            Boolean inside = inNetwork(address, candidate.getHostAddress() + length);
            if (inside == null) {
              return null;
            }
            if (inside) {
              return true;
            }
          }
          return false;
        } catch (UnknownHostException e) {
          return false; // a name without addresses matches nothing (RFC 7208 5.3)
        }
      }
      return null; // include:, mx, ptr, exists: need lookups doctor does not make
    }

    private static String result(String qualifier) {
      return switch (qualifier) {
        case "-" -> "fail";
        case "~" -> "softfail";
        case "?" -> "neutral";
        default -> "pass";
      };
    }

    /**
     * Whether InetAddress takes the text as an address without asking the DNS: it looks up, as a
     * host name, anything it cannot parse, even 999.1.1.1.
     */
    private static boolean isAddressLiteral(String text) {
      java.util.regex.Matcher four = IPV4.matcher(text);
      if (four.matches()) {
        for (int group = 1; group <= 4; group++) {
          if (Integer.parseInt(four.group(group)) > 255) {
            return false;
          }
        }
        return true;
      }
      return IPV6.matcher(text)
          .matches(); // has a colon: parsed as IPv6 or refused, never looked up
    }

    /** Whether the address is in the network, written as an address and an optional /prefix. */
    static @Nullable Boolean inNetwork(InetAddress address, String network) {
      int slash = network.indexOf('/');
      String literal = slash < 0 ? network : network.substring(0, slash);
      if (!isAddressLiteral(literal)) {
        return null; // never looked up: only an address literal belongs here
      }
      byte[] base;
      try {
        base = InetAddress.getByName(literal).getAddress();
      } catch (UnknownHostException e) {
        return null;
      }
      byte[] candidate = address.getAddress();
      if (base.length != candidate.length) {
        return false;
      }
      int bits = base.length * 8;
      if (slash >= 0) {
        try {
          bits = Integer.parseInt(network.substring(slash + 1));
        } catch (NumberFormatException e) {
          return null;
        }
        if (bits < 0 || bits > base.length * 8) {
          return null;
        }
      }
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >>> (i % 8);
        if ((base[i / 8] & mask) != (candidate[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    }
  }
}
