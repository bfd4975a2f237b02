package org.mptcp4j.compat.netty42;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUringChannelOption;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An unmodified Netty 4.1 echo server and client in one JVM, written as Netty 4.1 applications are
 * (its event-loop groups and channel classes). Usage: {@code Netty42Echo nio|epoll HOST CONNECTIONS [options]};
 * {@code options} makes it set the per-connection options frameworks set (Vert.x: TCP_QUICKACK on accepted
 * channels; SO_REUSEADDR on children; TCP_NODELAY, SO_KEEPALIVE). Prints {@code OK} when every
 * connection got back exactly the bytes it sent (SHA-256), else fails.
 */
public final class Netty42Echo {
    public static void main(String[] args) throws Exception {
        String transport = args[0];
        boolean epoll = transport.equals("epoll");
        boolean uring = transport.equals("io_uring");
        String host = args[1];
        int connections = Integer.parseInt(args[2]);
        boolean options = args.length > 3 && args[3].equals("options");
        int size = 2 << 20;
        IoHandlerFactory handlers = epoll ? EpollIoHandler.newFactory() : uring ? IoUringIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, handlers);
        Class<? extends ServerChannel> serverType = epoll ? EpollServerSocketChannel.class
                : uring ? IoUringServerSocketChannel.class : NioServerSocketChannel.class;
        Class<? extends Channel> clientType = epoll ? EpollSocketChannel.class : uring ? IoUringSocketChannel.class : NioSocketChannel.class;
        try {
            ServerBootstrap sb = new ServerBootstrap().group(group).channel(serverType).childHandler(new Echo());
            if (options) {
                sb.childOption(ChannelOption.TCP_NODELAY, true).childOption(ChannelOption.SO_KEEPALIVE, true)
                        .childOption(ChannelOption.SO_REUSEADDR, true);
                if (epoll) {
                    sb.childOption(EpollChannelOption.TCP_QUICKACK, true);
                } else if (uring) {
                    sb.childOption(IoUringChannelOption.TCP_QUICKACK, true);
                }
            }
            Channel server = sb.bind(new InetSocketAddress(host, 0)).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            List<CompletableFuture<String>> results = new ArrayList<>();
            for (int c = 0; c < connections; c++) {
                byte[] payload = new byte[size];
                new Random(c).nextBytes(payload);
                CompletableFuture<String> done = new CompletableFuture<>();
                results.add(done);
                MessageDigest received = MessageDigest.getInstance("SHA-256");
                Bootstrap b = new Bootstrap().group(group).channel(clientType).handler(new ChannelInboundHandlerAdapter() {
                    int got;

                    @Override
                    public void channelActive(ChannelHandlerContext ctx) throws Exception {
                        if (options && epoll) {
                            ctx.channel().config().setOption(EpollChannelOption.TCP_QUICKACK, true);
                        } else if (options && uring) {
                            ctx.channel().config().setOption(IoUringChannelOption.TCP_QUICKACK, true);
                        }
                        ctx.writeAndFlush(Unpooled.wrappedBuffer(payload));
                    }

                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf buf = (ByteBuf) msg;
                        got += buf.readableBytes();
                        received.update(buf.nioBuffer());
                        buf.release();
                        if (got >= size) {
                            done.complete(HexFormat.of().formatHex(received.digest()));
                            ctx.close();
                        }
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        done.completeExceptionally(cause);
                        ctx.close();
                    }
                });
                if (options) {
                    b.option(ChannelOption.TCP_NODELAY, true).option(ChannelOption.SO_KEEPALIVE, true);
                }
                b.connect(new InetSocketAddress(host, port)).addListener(f -> {
                    if (!f.isSuccess()) {
                        done.completeExceptionally(f.cause());
                    }
                });
                String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
                String echoed = done.get(Long.getLong("compat.timeout", 30), TimeUnit.SECONDS);
                if (!echoed.equals(expected)) {
                    throw new AssertionError("connection " + c + ": echoed bytes differ from sent (" + echoed + " vs " + expected + ")");
                }
            }
            System.out.println("OK transport=" + args[0] + " connections=" + connections + " bytes=" + (long) connections * size * 2
                    + " netty=" + io.netty.util.Version.identify().get("netty-common").artifactVersion());
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @ChannelHandler.Sharable
    static final class Echo extends ChannelInboundHandlerAdapter {
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
