package ie.skynet.accounts.ops;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ExtendedResolver;
import org.xbill.DNS.Lookup;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/** {@link MailDns} over dnsjava and the servers in the machine's resolver configuration. */
final class DnsjavaMailDns implements MailDns {
  private final Duration timeout;

  DnsjavaMailDns(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public List<String> txt(String name) throws LookupFailed {
    List<String> texts = new ArrayList<>();
    for (Record record : lookup(name(name), Type.TXT)) {
      if (record instanceof TXTRecord txt) {
        texts.add(String.join("", txt.getStrings()));
      }
    }
    return texts;
  }

  @Override
  public List<String> reverse(InetAddress address) throws LookupFailed {
    List<String> names = new ArrayList<>();
    for (Record record : lookup(ReverseMap.fromAddress(address), Type.PTR)) {
      if (record instanceof PTRRecord ptr) {
        names.add(ptr.getTarget().toString(true));
      }
    }
    return names;
  }

  private Record[] lookup(Name name, int type) throws LookupFailed {
    Lookup lookup = new Lookup(name, type);
    ExtendedResolver resolver = new ExtendedResolver();
    resolver.setTimeout(timeout);
    lookup.setResolver(resolver);
    lookup.setCache(null); // doctor reports what the DNS says now, not what it said before
    Record[] records = lookup.run();
    return switch (lookup.getResult()) {
      case Lookup.SUCCESSFUL -> records;
      case Lookup.HOST_NOT_FOUND, Lookup.TYPE_NOT_FOUND -> new Record[0];
      default ->
          throw new LookupFailed(
              Type.string(type) + " lookup of " + name + " failed: " + lookup.getErrorString());
    };
  }

  private static Name name(String name) throws LookupFailed {
    try {
      return Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      throw new LookupFailed("not a DNS name: " + name);
    }
  }
}
