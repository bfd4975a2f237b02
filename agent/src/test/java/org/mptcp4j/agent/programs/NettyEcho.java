package org.mptcp4j.agent.programs;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Unmodified Netty echo (server + client) on the given transport. Usage: NettyEcho nio|epoll|io_uring HOST. */
public final class NettyEcho {
    public static void main(String[] args) throws Exception {
        String transport = args[0];
        IoHandlerFactory factory;
        Class<? extends ServerChannel> serverType;
        Class<? extends Channel> clientType;
        switch (transport) {
            case "nio":
                factory = NioIoHandler.newFactory();
                serverType = NioServerSocketChannel.class;
                clientType = NioSocketChannel.class;
                break;
            case "epoll":
                factory = EpollIoHandler.newFactory();
                serverType = EpollServerSocketChannel.class;
                clientType = EpollSocketChannel.class;
                break;
            default:
                factory = IoUringIoHandler.newFactory();
                serverType = IoUringServerSocketChannel.class;
                clientType = IoUringSocketChannel.class;
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, factory);
        int size = 1 << 20;
        CompletableFuture<Integer> done = new CompletableFuture<>();
        try {
            Channel server = new ServerBootstrap().group(group).channel(serverType)
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ctx.write(msg);
                        }

                        @Override
                        public void channelReadComplete(ChannelHandlerContext ctx) {
                            ctx.flush();
                        }
                    }).bind(new InetSocketAddress(0)).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            Channel client = new Bootstrap().group(group).channel(clientType)
                    .handler(new ChannelInboundHandlerAdapter() {
                        int got;

                        @Override
                        public void channelActive(ChannelHandlerContext ctx) {
                            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[size]));
                        }

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            got += ((ByteBuf) msg).readableBytes();
                            ((ByteBuf) msg).release();
                            if (got >= size) {
                                done.complete(got);
                            }
                        }
                    }).connect(new InetSocketAddress(args[1], port)).sync().channel();
            int n = done.get(30, TimeUnit.SECONDS);
            System.out.println("OK " + n + " transport=" + transport + " channel=" + client.getClass().getSimpleName());
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
