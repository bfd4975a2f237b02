package org.mptcp4j.spring.internal;

import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.mptcp4j.internal.log.Log;

/**
 * Tomcat's NIO endpoint whose listener is the library's MPTCP {@link ServerSocketChannel}. Tomcat opens
 * its listener inside {@code initServerSocket()} into a private field; this endpoint opens, configures
 * and binds it the way Tomcat does (socket properties, address, port offset, accept count) and puts it
 * there. Tomcat without that field, an inherited channel or a Unix-domain path: Tomcat's own listener.
 */
class MptcpNioEndpoint extends NioEndpoint {
    private static final Field SERVER_SOCK = serverSockField();

    @Override
    protected void initServerSocket() throws Exception {
        MptcpSettings settings = MptcpSettings.active();
        InetSocketAddress local = new InetSocketAddress(getAddress(), getPortWithOffset());
        if (SERVER_SOCK == null || settings == null || getUseInheritedChannel() || getUnixDomainSocketPath() != null
                || !settings.policy().server(local)) {
            super.initServerSocket();
            return;
        }
        ServerSocketChannel listener = settings.sockets().openServerSocketChannel();
        try {
            getSocketProperties().setProperties(listener.socket());
            listener.bind(local, getAcceptCount());
            listener.configureBlocking(true); // as Tomcat does: its acceptor blocks in accept()
            SERVER_SOCK.set(this, listener);
        } catch (Exception e) {
            listener.close();
            throw e;
        }
    }

    private static Field serverSockField() {
        try {
            Field f = NioEndpoint.class.getDeclaredField("serverSock");
            if (f.getType() != ServerSocketChannel.class) {
                throw new NoSuchFieldException("serverSock is a " + f.getType().getName());
            }
            f.setAccessible(true);
            return f;
        } catch (ReflectiveOperationException | RuntimeException e) {
            Log.warning("Tomcat stays TCP: its NioEndpoint is not one mptcp4j recognises (" + e + ")");
            return null;
        }
    }
}
