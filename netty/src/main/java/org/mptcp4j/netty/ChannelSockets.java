package org.mptcp4j.netty;

import io.netty.channel.Channel;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import org.mptcp4j.Mptcp;
import org.mptcp4j.MptcpInfo;
import org.mptcp4j.internal.engine.Negotiation;
import org.mptcp4j.internal.engine.NativeChannels;
import org.mptcp4j.internal.engine.Sockets;

/** The kernel socket behind a Netty channel, for status and info. Internal. */
final class ChannelSockets {
    private ChannelSockets() {}

    static Negotiation.Outcome status(Channel channel) throws IOException {
        if (channel instanceof MptcpNioSocketChannel nio) {
            return Sockets.read(nio.socket(), NativeChannels::status);
        }
        if (channel instanceof MptcpNioServerSocketChannel nio) {
            return Sockets.read(nio.socket(), NativeChannels::status);
        }
        return NativeChannels.status(fd(channel));
    }

    static Optional<MptcpInfo> info(Channel channel) throws IOException {
        if (channel instanceof MptcpNioSocketChannel nio) {
            return Mptcp.info(nio.socket());
        }
        return NativeChannels.info(fd(channel));
    }

    private static int fd(Channel channel) throws IOException {
        if (!(channel instanceof UnixChannel unix)) {
            throw new IllegalArgumentException("not a channel mptcp4j can read: " + channel.getClass().getName()
                    + " (expected a Netty native channel, epoll or io_uring, or this module's NIO channels)");
        }
        if (!channel.isOpen()) {
            throw new ClosedChannelException();
        }
        return unix.fd().intValue();
    }
}
