package org.mptcp4j.internal.engine;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import javax.net.ServerSocketFactory;

/** A {@link ServerSocketFactory} whose sockets are MPTCP listeners; see {@link Mptcp#serverSocketFactory()}. */
public final class MptcpServerSocketFactory extends ServerSocketFactory {
    private final Sockets sockets;

    MptcpServerSocketFactory(Sockets sockets) {
        this.sockets = sockets;
    }

    @Override
    public ServerSocket createServerSocket() throws IOException {
        return Sockets.opened(sockets.newServerSocket());
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return Sockets.opened(sockets.newServerSocket(port));
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog) throws IOException {
        return Sockets.opened(sockets.newServerSocket(port, backlog, null));
    }

    @Override
    public ServerSocket createServerSocket(int port, int backlog, InetAddress bindAddress) throws IOException {
        return Sockets.opened(sockets.newServerSocket(port, backlog, bindAddress));
    }
}
