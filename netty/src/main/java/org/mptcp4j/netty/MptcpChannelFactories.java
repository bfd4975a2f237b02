package org.mptcp4j.netty;

import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFactory;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import org.mptcp4j.Mptcp;
import org.mptcp4j.MptcpSockets;
import org.mptcp4j.internal.engine.NativeChannels;

/**
 * Channel factories for a bootstrap's {@code channelFactory(...)}, under one fallback policy (see
 * {@link MptcpNetty#channels()} and {@link MptcpNetty#strict()}). Thread-safe.
 *
 * <p>Epoll channels are Netty's own classes (they are final): each is created as Netty creates it and
 * its socket replaced by an MPTCP one before the bootstrap sets options or registers it, so every
 * option goes to the MPTCP socket. Options MPTCP refuses (TCP_QUICKACK, TCP_USER_TIMEOUT, ...; see
 * docs/socket-options.md) then fail as they would on any MPTCP socket: Netty logs the bootstrap's
 * ones and throws for a handler's. The agent answers those calls; this module cannot reach them.
 */
public final class MptcpChannelFactories {
    private final boolean strict;
    private final MptcpSockets sockets;

    MptcpChannelFactories(boolean strict) {
        this.strict = strict;
        this.sockets = strict ? Mptcp.strict() : Mptcp.sockets();
    }

    /** The library's sockets under the same policy, for the NIO channels. */
    MptcpSockets sockets() {
        return sockets;
    }

    /** Whether these factories fail instead of giving a TCP channel. */
    public boolean isStrict() {
        return strict;
    }

    /** Netty epoll client channels with MPTCP sockets. */
    public ChannelFactory<EpollSocketChannel> epollSocketChannel() {
        return () -> toMptcp(new EpollSocketChannel(), false);
    }

    /** Netty epoll listeners with MPTCP sockets; they accept MPTCP and plain TCP clients. */
    public ChannelFactory<EpollServerSocketChannel> epollServerSocketChannel() {
        return () -> toMptcp(new EpollServerSocketChannel(), true);
    }

    /** Netty NIO client channels over the library's MPTCP {@code SocketChannel}. */
    public ChannelFactory<NioSocketChannel> nioSocketChannel() {
        return () -> new MptcpNioSocketChannel(sockets);
    }

    /** Netty NIO listeners over the library's MPTCP {@code ServerSocketChannel}. */
    public ChannelFactory<NioServerSocketChannel> nioServerSocketChannel() {
        return () -> new MptcpNioServerSocketChannel(sockets);
    }

    private <C extends UnixChannel & io.netty.channel.Channel> C toMptcp(C channel, boolean listener) {
        try {
            NativeChannels.toMptcp(channel.fd().intValue(), listener, strict);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.unsafe().closeForcibly();
            throw new ChannelException("no MPTCP socket for a Netty epoll channel: " + e.getMessage(), e);
        }
    }
}
