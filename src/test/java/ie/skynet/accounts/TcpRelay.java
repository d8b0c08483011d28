package ie.skynet.accounts;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay from a loopback port of its own (bound as port 0, and kept until closed) to a server
 * on another: a server that can hang up on its clients, as one restarting does, without its port
 * ever being free for something else to take; and that counts the connections clients made.
 */
public final class TcpRelay implements AutoCloseable {
  private final ServerSocket listener;
  private final int target;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger accepted = new AtomicInteger();

  public TcpRelay(int targetPort) throws IOException {
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.target = targetPort;
    Thread.ofPlatform().daemon().name("tcp-relay-" + port()).start(this::acceptAll);
  }

  /** Where clients connect. */
  public int port() {
    return listener.getLocalPort();
  }

  /** How many connections clients have made so far. */
  public int connections() {
    return accepted.get();
  }

  /** Closes every connection carried so far, on both sides; new ones are still relayed. */
  public void dropConnections() {
    for (Socket socket : open) {
      closeQuietly(socket);
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    dropConnections();
  }

  private void acceptAll() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      open.add(client);
      try {
        Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
        open.add(server);
        pump(client, server);
        pump(server, client);
      } catch (IOException e) {
        closeQuietly(client); // the server refused: so does the relay
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread.ofVirtual()
        .start(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // dropped, or the other side hung up: close both below
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            });
  }

  private void closeQuietly(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      // closing: nothing to do
    }
  }
}
