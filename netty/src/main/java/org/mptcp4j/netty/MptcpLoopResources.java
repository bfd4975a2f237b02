package org.mptcp4j.netty;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * Reactor Netty's {@link LoopResources} whose TCP channels are this module's MPTCP channels, on the
 * transport Reactor Netty picks (epoll when its native library loads, else NIO):
 * {@code HttpServer.create().runOn(MptcpLoopResources.wrap(HttpResources.get(), true, false))},
 * {@code HttpClient.create().runOn(MptcpLoopResources.wrap(HttpResources.get(), false, true))}.
 * Event loops and their lifecycle stay the wrapped resources'; other channel kinds (io_uring, Unix
 * domain, UDP) are the wrapped resources' own.
 */
public final class MptcpLoopResources implements LoopResources {
    private final LoopResources loops;
    private final boolean servers;
    private final boolean clients;
    private final MptcpChannelFactories factories;

    private MptcpLoopResources(LoopResources loops, boolean servers, boolean clients, MptcpChannelFactories factories) {
        this.loops = loops;
        this.servers = servers;
        this.clients = clients;
        this.factories = factories;
    }

    /** {@code loops} with MPTCP listeners ({@code servers}) and MPTCP client channels ({@code clients}), under {@link MptcpNetty#channels()}. */
    public static LoopResources wrap(LoopResources loops, boolean servers, boolean clients) {
        return wrap(loops, servers, clients, MptcpNetty.channels());
    }

    /** As {@link #wrap(LoopResources, boolean, boolean)}, under the given factories' fallback policy. */
    public static LoopResources wrap(LoopResources loops, boolean servers, boolean clients, MptcpChannelFactories factories) {
        return new MptcpLoopResources(loops, servers, clients, factories);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <C extends Channel> C onChannel(Class<C> type, EventLoopGroup group) {
        Class<? extends C> picked = loops.onChannelClass(type, group);
        Channel mptcp = null;
        if (servers && picked == EpollServerSocketChannel.class) {
            mptcp = factories.epollServerSocketChannel().newChannel();
        } else if (servers && picked == NioServerSocketChannel.class) {
            mptcp = factories.nioServerSocketChannel().newChannel();
        } else if (clients && picked == EpollSocketChannel.class) {
            mptcp = factories.epollSocketChannel().newChannel();
        } else if (clients && picked == NioSocketChannel.class) {
            mptcp = factories.nioSocketChannel().newChannel();
        }
        return mptcp != null ? (C) mptcp : loops.onChannel(type, group);
    }

    @Override
    public <C extends Channel> Class<? extends C> onChannelClass(Class<C> type, EventLoopGroup group) {
        return loops.onChannelClass(type, group);
    }

    @Override
    public EventLoopGroup onClient(boolean useNative) {
        return loops.onClient(useNative);
    }

    @Override
    public EventLoopGroup onServer(boolean useNative) {
        return loops.onServer(useNative);
    }

    @Override
    public EventLoopGroup onServerSelect(boolean useNative) {
        return loops.onServerSelect(useNative);
    }

    @Override
    public boolean daemon() {
        return loops.daemon();
    }

    @Override
    public void dispose() {
        loops.dispose();
    }

    @Override
    public boolean isDisposed() {
        return loops.isDisposed();
    }

    @Override
    public Mono<Void> disposeLater() {
        return loops.disposeLater();
    }

    @Override
    public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
        return loops.disposeLater(quietPeriod, timeout);
    }
}
