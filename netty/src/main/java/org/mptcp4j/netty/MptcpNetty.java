package org.mptcp4j.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.util.Optional;
import org.mptcp4j.FallbackReason;
import org.mptcp4j.Mptcp;
import org.mptcp4j.MptcpInfo;
import org.mptcp4j.MptcpStatus;

/**
 * MPTCP channels for Netty, without the agent: one line on a bootstrap.
 *
 * <pre>{@code
 * new ServerBootstrap().group(group).channelFactory(MptcpNetty.epollServerSocketChannel())...
 * new Bootstrap().group(group).channelFactory(MptcpNetty.epollSocketChannel())...
 * new Bootstrap().group(group).channel(MptcpNioSocketChannel.class)...   // NIO
 * MptcpNetty.status(ctx.channel());                                     // MPTCP, FALLBACK, TCP...
 * }</pre>
 *
 * The library's policy applies: where the kernel has no MPTCP the channels are TCP (one warning per
 * reason); {@link #strict()} throws instead. A listener accepts MPTCP and plain TCP clients; its
 * children are MPTCP when the client was. Works with Netty 4.1 and 4.2.
 */
public final class MptcpNetty {
    // the library's default instance reads mptcp4j.strict / MPTCP4J_STRICT (with their one-line errors)
    private static final MptcpChannelFactories DEFAULT = new MptcpChannelFactories(Mptcp.sockets().isStrict());
    private static final MptcpChannelFactories STRICT = new MptcpChannelFactories(true);

    private MptcpNetty() {}

    /** Factories that fall back to TCP where MPTCP is unavailable (unless {@code mptcp4j.strict=true}, as for {@link Mptcp#sockets()}). */
    public static MptcpChannelFactories channels() {
        return DEFAULT;
    }

    /** Factories whose channels are MPTCP or fail: {@link org.mptcp4j.MptcpUnavailableException}, in a {@link io.netty.channel.ChannelException}. */
    public static MptcpChannelFactories strict() {
        return STRICT;
    }

    /** See {@link MptcpChannelFactories#epollSocketChannel()}. */
    public static ChannelFactory<EpollSocketChannel> epollSocketChannel() {
        return channels().epollSocketChannel();
    }

    /** See {@link MptcpChannelFactories#epollServerSocketChannel()}. */
    public static ChannelFactory<EpollServerSocketChannel> epollServerSocketChannel() {
        return channels().epollServerSocketChannel();
    }

    /** See {@link MptcpChannelFactories#nioSocketChannel()}. */
    public static ChannelFactory<NioSocketChannel> nioSocketChannel() {
        return channels().nioSocketChannel();
    }

    /** See {@link MptcpChannelFactories#nioServerSocketChannel()}. */
    public static ChannelFactory<NioServerSocketChannel> nioServerSocketChannel() {
        return channels().nioServerSocketChannel();
    }

    /**
     * What this channel is, from the kernel: MPTCP; FALLBACK (was to be MPTCP, runs as TCP); UNAVAILABLE
     * (MPTCP could not be had); TCP. For Netty's native channels (epoll, io_uring: any channel with an
     * fd) and for this module's NIO channels.
     *
     * @throws IllegalArgumentException for a NIO channel this module did not make (its socket is out of reach)
     */
    public static MptcpStatus status(Channel channel) throws IOException {
        return ChannelSockets.status(channel).status();
    }

    /** Why this connection runs as plain TCP when its status is FALLBACK; empty otherwise. */
    public static Optional<FallbackReason> fallbackReason(Channel channel) throws IOException {
        return Optional.ofNullable(ChannelSockets.status(channel).reason());
    }

    /** One line on this channel for logs, as {@link Mptcp#describe} gives for JDK channels. */
    public static String describe(Channel channel) throws IOException {
        return ChannelSockets.status(channel).toString();
    }

    /** The MPTCP connection and its subflows; empty when the channel is not (or no longer) MPTCP. */
    public static Optional<MptcpInfo> info(Channel channel) throws IOException {
        return ChannelSockets.info(channel);
    }
}
