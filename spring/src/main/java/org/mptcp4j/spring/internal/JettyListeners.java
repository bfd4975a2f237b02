package org.mptcp4j.spring.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty's connectors take a listener opened elsewhere ({@link ServerConnector#open(ServerSocketChannel)}):
 * each gets the library's MPTCP listener, configured and bound as Jetty's own {@code openAcceptChannel()}
 * would (host, port, accept queue, SO_REUSEADDR, SO_REUSEPORT).
 */
final class JettyListeners {
    private JettyListeners() {}

    static Object customize(MptcpSettings settings, Object server) {
        for (Connector c : ((Server) server).getConnectors()) {
            if (c instanceof ServerConnector connector) {
                open(settings, connector);
            }
        }
        return null;
    }

    private static void open(MptcpSettings settings, ServerConnector connector) {
        InetSocketAddress local = connector.getHost() == null ? new InetSocketAddress(connector.getPort())
                : new InetSocketAddress(connector.getHost(), connector.getPort());
        if (!settings.policy().server(local)) {
            return;
        }
        try {
            ServerSocketChannel listener = settings.sockets().openServerSocketChannel();
            try {
                listener.setOption(StandardSocketOptions.SO_REUSEADDR, connector.getReuseAddress());
                if (connector.isReusePort()) {
                    listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                listener.bind(local, connector.getAcceptQueueSize());
                connector.open(listener);
            } catch (IOException | RuntimeException e) {
                listener.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("mptcp4j: cannot listen on " + local + ": " + e.getMessage(), e);
        }
    }
}
