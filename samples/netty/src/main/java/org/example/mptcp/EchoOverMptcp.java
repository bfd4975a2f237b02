package org.example.mptcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.mptcp4j.netty.MptcpNetty;

/**
 * An echo server and a client over MPTCP with Netty: the only mptcp4j lines are the two channel
 * factories and the status calls. Usage: {@code EchoOverMptcp [HOST]} (default 127.0.0.1).
 */
public final class EchoOverMptcp {
    public static void main(String[] args) throws Exception {
        String host = args.length > 0 ? args[0] : "127.0.0.1";
        boolean epoll = Epoll.isAvailable();
        EventLoopGroup group = epoll ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
        ChannelFactory<? extends ServerChannel> servers = epoll ? MptcpNetty.epollServerSocketChannel() : MptcpNetty.nioServerSocketChannel();
        ChannelFactory<? extends Channel> clients = epoll ? MptcpNetty.epollSocketChannel() : MptcpNetty.nioSocketChannel();
        try {
            Channel server = new ServerBootstrap().group(group).channelFactory(servers)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) throws Exception {
                            System.out.println("server: accepted a connection, " + MptcpNetty.describe(ctx.channel()));
                        }

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ctx.writeAndFlush(msg);
                        }
                    })
                    .bind(new InetSocketAddress(host, 0)).sync().channel();
            CompletableFuture<String> echoed = new CompletableFuture<>();
            Channel client = new Bootstrap().group(group).channelFactory(clients)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            ctx.writeAndFlush(Unpooled.copiedBuffer("hello over MPTCP", StandardCharsets.UTF_8));
                        }

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ByteBuf buf = (ByteBuf) msg;
                            echoed.complete(buf.toString(StandardCharsets.UTF_8));
                            buf.release();
                        }
                    })
                    .connect(server.localAddress()).sync().channel();
            System.out.println("client: echoed \"" + echoed.get(10, TimeUnit.SECONDS) + "\" on " + (epoll ? "epoll" : "NIO") + ", "
                    + MptcpNetty.describe(client) + ", subflows: "
                    + MptcpNetty.info(client).map(i -> i.subflows().size()).orElse(0));
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
