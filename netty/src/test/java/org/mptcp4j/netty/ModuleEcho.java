package org.mptcp4j.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Netty echo server and client in one JVM using this module's factories, handlers unmodified.
 * Usage: {@code ModuleEcho nio|epoll HOST CONNECTIONS [client=mptcp|netty] [strict] [quickack]}: {@code client=netty}
 * connects with Netty's own (TCP) channel class; {@code quickack} sets epoll's TCP_QUICKACK on accepted
 * channels, as Vert.x does (an option MPTCP refuses). Prints one {@code CLIENT <describe> subflows=N} and one
 * {@code SERVER <describe>} line per connection, then {@code OK} when every connection got back exactly
 * the bytes it sent (SHA-256); a failure ends the program with {@code FAILED <exception>} and status 1.
 */
public final class ModuleEcho {
    public static void main(String[] args) throws Exception {
        boolean epoll = args[0].equals("epoll");
        String host = args[1];
        int connections = Integer.parseInt(args[2]);
        boolean nettyClient = List.of(args).contains("client=netty");
        boolean quickAck = List.of(args).contains("quickack");
        MptcpChannelFactories factories = List.of(args).contains("strict") ? MptcpNetty.strict() : MptcpNetty.channels();
        int size = 1 << 20;
        EventLoopGroup group = epoll ? new EpollEventLoopGroup(2) : new NioEventLoopGroup(2);
        ChannelFactory<? extends ServerChannel> servers = epoll ? factories.epollServerSocketChannel() : factories.nioServerSocketChannel();
        ChannelFactory<? extends Channel> clients = nettyClient
                ? (epoll ? EpollSocketChannel::new : NioSocketChannel::new)
                : (epoll ? factories.epollSocketChannel() : factories.nioSocketChannel());
        ConcurrentLinkedQueue<String> serverLines = new ConcurrentLinkedQueue<>();
        try {
            ServerBootstrap sb = new ServerBootstrap().group(group).channelFactory(servers)
                    .childOption(ChannelOption.TCP_NODELAY, true).childHandler(new Echo(serverLines));
            if (quickAck && epoll) {
                sb.childOption(io.netty.channel.epoll.EpollChannelOption.TCP_QUICKACK, true);
            } else if (quickAck) {
                sb.childOption(io.netty.channel.socket.nio.NioChannelOption.of(jdk.net.ExtendedSocketOptions.TCP_QUICKACK), true);
            }
            Channel server = sb.bind(new InetSocketAddress(host, 0)).sync().channel();
            System.out.println("LISTENER " + MptcpNetty.describe(server));
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            for (int c = 0; c < connections; c++) {
                byte[] payload = new byte[size];
                new Random(c).nextBytes(payload);
                CompletableFuture<String> done = new CompletableFuture<>();
                MessageDigest received = MessageDigest.getInstance("SHA-256");
                Bootstrap b = new Bootstrap().group(group).channelFactory(clients)
                        .option(ChannelOption.SO_KEEPALIVE, true).handler(new ChannelInboundHandlerAdapter() {
                    int got;

                    @Override
                    public void channelActive(ChannelHandlerContext ctx) {
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(payload));
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                        ByteBuf buf = (ByteBuf) msg;
                        got += buf.readableBytes();
                        received.update(buf.nioBuffer());
                        buf.release();
                        if (got >= size) {
                            if (!nettyClient) {
                                System.out.println("CLIENT " + MptcpNetty.describe(ctx.channel()) + " subflows="
                                        + MptcpNetty.info(ctx.channel()).map(i -> i.subflows().size()).orElse(0));
                            }
                            done.complete(HexFormat.of().formatHex(received.digest()));
                            ctx.close();
                        }
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        done.completeExceptionally(new java.nio.channels.ClosedChannelException()); // no-op once complete
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        done.completeExceptionally(cause);
                        ctx.close();
                    }
                });
                b.connect(new InetSocketAddress(host, port)).addListener(f -> {
                    if (!f.isSuccess()) {
                        done.completeExceptionally(f.cause());
                    }
                });
                String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
                String echoed = done.get(30, TimeUnit.SECONDS);
                if (!echoed.equals(expected)) {
                    throw new AssertionError("connection " + c + ": echoed bytes differ from sent");
                }
            }
            server.close().sync();
            serverLines.forEach(l -> System.out.println("SERVER " + l));
            System.out.println("OK transport=" + args[0] + " connections=" + connections
                    + " netty=" + io.netty.util.Version.identify().get("netty-common").artifactVersion());
        } catch (Throwable t) {
            System.out.println("FAILED " + t);
            System.exit(1);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    /** Echoes, and notes what each accepted channel is once its first bytes arrive. */
    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
        private final ConcurrentLinkedQueue<String> lines;

        Echo(ConcurrentLinkedQueue<String> lines) {
            this.lines = lines;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            lines.add(MptcpNetty.describe(ctx.channel()));
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }
    }
}
