package ie.skynet.accounts.app;

import ie.skynet.accounts.dev.DevDirectory;
import ie.skynet.accounts.membership.ImportReport;
import ie.skynet.accounts.web.WebServer;
import ie.skynet.accounts.web.WebSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code accounts dev} prints once it listens: where each part of the stack is, how to reach
 * it from another shell, and a signup to try. Everything needed to try the system is on the screen,
 * as nobody at the postmortem's event had a dev setup to hand.
 */
record DevGuide(DevStack stack, WebSettings web) {

  /**
   * @param webPort the port the web server listens on
   * @param members the members dev loaded
   * @param sample an address that can sign up now, if any member has no account yet
   */
  void print(PrintWriter out, int webPort, ImportReport members, Optional<String> sample) {
    String url = web.baseUrl().toString();
    String ldap = "ldap://127.0.0.1:" + stack.directory.getListenPort();
    out.println("Skynet Accounts dev is running. Everything listens on this machine only.");
    out.println();
    out.println("  Web:      " + url + "/");
    out.println("  Mailbox:  " + url + "/dev/mail  (every mail the service sends lands here)");
    if (web.metrics()) {
      out.println("  Metrics:  " + url + WebServer.METRICS_PATH + "  (Prometheus text format)");
    }
    out.println("  LDAP:     " + ldap + "  (accounts under " + DevDirectory.USERS + ")");
    out.println(
        "            bind DN "
            + DevDirectory.SERVICE_DN
            + ", password "
            + DevStack.SERVICE_PASSWORD);
    out.println("  SMTP:     127.0.0.1:" + stack.mailbox.port() + " (the mail catcher)");
    out.println(
        "  Data:     "
            + stack.options.data().toAbsolutePath()
            + " (the database; the directory is saved there on exit)");
    Path checkConfig = stack.writeCheckConfig(webPort);
    out.println("  Check:    accounts doctor --config " + checkConfig + "  (from another shell)");
    out.println(
        "  Members:  "
            + members.rowsRead()
            + " loaded from "
            + (stack.options.members() == null ? "the sample export" : stack.options.members()));
    out.println();
    if (sample.isPresent()) {
      out.println("Try it: open " + url + "/signup and ask with " + sample.get() + ",");
      out.println("then open the link in the mail at " + url + "/dev/mail.");
    } else {
      out.println(
          "Every current member already has an account; load others with --members FILE, or"
              + " delete "
              + stack.options.data()
              + " to start afresh.");
    }
    out.println("Then find the account with:");
    out.println(
        "  ldapsearch -x -H "
            + ldap
            + " -D "
            + DevDirectory.SERVICE_DN
            + " -w "
            + DevStack.SERVICE_PASSWORD
            + " -b "
            + DevDirectory.USERS
            + " '(uid=*)'");
    out.println("Stop with Ctrl-C.");
  }
}
