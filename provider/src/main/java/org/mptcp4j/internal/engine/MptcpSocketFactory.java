package org.mptcp4j.internal.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/** A {@link SocketFactory} whose sockets are MPTCP; obtain it from {@link Mptcp#socketFactory()}. */
public final class MptcpSocketFactory extends SocketFactory {
    private final Sockets sockets;

    MptcpSocketFactory(Sockets sockets) {
        this.sockets = sockets;
    }

    @Override
    public Socket createSocket() throws IOException {
        return Sockets.opened(sockets.newSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connect(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connect(new InetSocketAddress(localHost, localPort), new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connect(null, new InetSocketAddress(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connect(new InetSocketAddress(localAddress, localPort), new InetSocketAddress(address, port));
    }

    private Socket connect(InetSocketAddress local, InetSocketAddress remote) throws IOException {
        Socket socket = Sockets.opened(sockets.newSocket());
        try {
            if (local != null) {
                socket.bind(local);
            }
            socket.connect(remote);
            return socket;
        } catch (IOException | RuntimeException e) {
            try {
                socket.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }
}
