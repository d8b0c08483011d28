package ie.skynet.accounts.app;

import ie.skynet.accounts.asks.Answerer;
import ie.skynet.accounts.asks.AskQueue;
import ie.skynet.accounts.cli.StartupException;
import ie.skynet.accounts.directory.LdapDirectory;
import ie.skynet.accounts.outbox.OutboxWorker;
import ie.skynet.accounts.signup.SignupService;
import ie.skynet.accounts.web.WebServer;
import ie.skynet.accounts.web.WebSettings;
import java.net.BindException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The web service and the background work, started; {@link #close} stops them, and what they ran
 * over: first no new requests, then no new mail (the pass under way may finish), then the
 * connections, then dev's embedded servers.
 */
record Running(
    WebServer web,
    Background background,
    JobSchedule jobs,
    OutboxWorker outboxWorker,
    LdapDirectory directory,
    SignupService signup,
    AskQueue asks,
    List<Answerer> answerers,
    @Nullable DevStack dev)
    implements AutoCloseable {

  /**
   * Starts the web server, then the background work. If either cannot start, nothing is left
   * running of the two; what they run over is the caller's to close.
   *
   * @param settings where the web server listens, to say so when it cannot
   * @return this, running
   */
  Running start(WebSettings settings) {
    try {
      web.start();
    } catch (RuntimeException e) { // never started: nothing to stop
      if (causedByBind(e)) {
        throw new StartupException(
            "cannot listen on "
                + settings.host()
                + ":"
                + settings.port()
                + " (is the port in use? "
                + (dev != null ? "choose another with --port" : "set web.port")
                + ")",
            e);
      }
      throw e;
    }
    try {
      background.start();
    } catch (RuntimeException e) {
      web.close();
      throw e;
    }
    return this;
  }

  private static boolean causedByBind(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return true;
      }
    }
    return false;
  }

  int port() {
    return web.port();
  }

  /** Answers the requests waiting, as the background pass does. */
  int answerWaiting() {
    return asks.answerWaiting(answerers);
  }

  @Override
  public void close() {
    web.close();
    asks.close();
    outboxWorker.stop();
    background.close();
    directory.close();
    if (dev != null) {
      dev.close();
    }
  }
}
