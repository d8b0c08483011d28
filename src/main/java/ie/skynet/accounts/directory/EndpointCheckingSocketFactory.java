package ie.skynet.accounts.directory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Makes every TLS socket check that the server's certificate names the host connected to, with the
 * JDK's own LDAP rules (RFC 4513), during the handshake. UnboundID's host name verifier resolves
 * names in the certificate through DNS and accepts a certificate for "localhost" at 127.0.0.1; the
 * JDK's check compares names only.
 */
final class EndpointCheckingSocketFactory extends SSLSocketFactory {
  private final SSLSocketFactory delegate;

  EndpointCheckingSocketFactory(SSLSocketFactory delegate) {
    this.delegate = delegate;
  }

  private static Socket checking(Socket socket) {
    if (socket instanceof SSLSocket ssl) {
      SSLParameters parameters = ssl.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("LDAPS");
      ssl.setSSLParameters(parameters);
    }
    return socket;
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  @Override
  public Socket createSocket() throws IOException {
    return checking(delegate.createSocket());
  }

  @Override
  public Socket createSocket(Socket socket, String host, int port, boolean autoClose)
      throws IOException {
    return checking(delegate.createSocket(socket, host, port, autoClose));
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return checking(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
      throws IOException {
    return checking(delegate.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return checking(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return checking(delegate.createSocket(address, port, localAddress, localPort));
  }
}
