package ie.skynet.accounts;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port that refuses connections for as long as this stays open, for tests of "connection
 * refused": a TCP socket bound to the port but never listening. The kernel answers a connection
 * attempt with a reset, and a port bound without SO_REUSEADDR cannot be bound by any other socket,
 * of this process or another, meanwhile.
 *
 * <p>Not a port found free by opening and closing a server socket: anything may take such a port
 * before the test uses it, and the test then talks to a stranger. Nor a server socket kept open
 * without accepting: the kernel completes connections to a listening socket by itself, so they are
 * not refused.
 */
public final class RefusingPort implements AutoCloseable {
  private final Socket socket;

  private RefusingPort(Socket socket) {
    this.socket = socket;
  }

  /** A port of the kernel's choosing that nothing else can take while this is open. */
  public RefusingPort() throws IOException {
    this(bind(0, false));
  }

  /**
   * Holds the port a test server was just stopped on, so that it refuses until the test starts a
   * server on it again (close this first): for a port the code under test is configured with and
   * cannot move from. The port is free only between the server's close and this call, and between
   * this close and the next server's start. SO_REUSEADDR lets the bind pass the stopped server's
   * connections in TIME_WAIT; it also lets another socket bind meanwhile, but only one of another
   * program that binds this exact port on purpose.
   */
  public static RefusingPort holding(int port) throws IOException {
    return new RefusingPort(bind(port, true));
  }

  private static Socket bind(int port, boolean reuse) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setReuseAddress(reuse);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  public int port() {
    return socket.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
