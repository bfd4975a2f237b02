package org.mptcp4j.netty;

import io.netty.channel.ChannelException;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.mptcp4j.MptcpSockets;

/**
 * A Netty NIO listener over the library's MPTCP {@link ServerSocketChannel}:
 * {@code serverBootstrap.channel(MptcpNioServerSocketChannel.class)}. It accepts MPTCP and plain TCP
 * clients; its children are {@link MptcpNioSocketChannel}s, so {@link MptcpNetty#status} reads them.
 */
public class MptcpNioServerSocketChannel extends NioServerSocketChannel {
    private static final System.Logger LOG = System.getLogger("org.mptcp4j.netty");

    /** A listener under {@link MptcpNetty#channels()}'s policy. */
    public MptcpNioServerSocketChannel() {
        this(MptcpNetty.channels().sockets());
    }

    MptcpNioServerSocketChannel(MptcpSockets sockets) {
        super(open(sockets));
    }

    /** The JDK channel underneath, for {@link MptcpNetty#status}. */
    ServerSocketChannel socket() {
        return javaChannel();
    }

    /** As Netty's own, but the child is this module's class (the JDK channel within it is the same). */
    @Override
    protected int doReadMessages(List<Object> buf) throws Exception {
        SocketChannel accepted = javaChannel().accept();
        if (accepted == null) {
            return 0;
        }
        try {
            buf.add(new MptcpNioSocketChannel(this, accepted));
            return 1;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "mptcp4j: closing an accepted connection Netty could not take: " + e, e);
            try {
                accepted.close();
            } catch (IOException ignored) {
                // the failure above is what matters
            }
            return 0;
        }
    }

    private static ServerSocketChannel open(MptcpSockets sockets) {
        try {
            return sockets.openServerSocketChannel();
        } catch (IOException e) {
            throw new ChannelException("failed to open an MPTCP listener: " + e.getMessage(), e);
        }
    }
}
