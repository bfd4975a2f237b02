package org.mptcp4j.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import org.mptcp4j.MptcpSockets;

/**
 * A Netty NIO client channel over the library's MPTCP {@link SocketChannel}: {@code bootstrap.channel(MptcpNioSocketChannel.class)}.
 * Options go through the library, which answers the ones MPTCP refuses (docs/socket-options.md).
 */
public class MptcpNioSocketChannel extends NioSocketChannel {
    /** A client channel under {@link MptcpNetty#channels()}'s policy. */
    public MptcpNioSocketChannel() {
        this(MptcpNetty.channels().sockets());
    }

    MptcpNioSocketChannel(MptcpSockets sockets) {
        super(open(sockets));
    }

    /** A child accepted by {@link MptcpNioServerSocketChannel}. */
    MptcpNioSocketChannel(Channel parent, SocketChannel socket) {
        super(parent, socket);
    }

    /** The JDK channel underneath, for {@link MptcpNetty#status} and {@link MptcpNetty#info}. */
    SocketChannel socket() {
        return javaChannel();
    }

    private static SocketChannel open(MptcpSockets sockets) {
        try {
            return sockets.openSocketChannel();
        } catch (IOException e) {
            throw new ChannelException("failed to open an MPTCP socket: " + e.getMessage(), e);
        }
    }
}
