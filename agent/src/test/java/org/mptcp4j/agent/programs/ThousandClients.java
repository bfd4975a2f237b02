package org.mptcp4j.agent.programs;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Unmodified load program: 1,000 clients connected at the same time to one echo server, each
 * echoing 1 KiB, on virtual threads (JDK 21+), platform threads, or NIO (one Selector serving all,
 * clients as non-blocking SocketChannels). Usage: ThousandClients HOST vt|threads|nio.
 */
public final class ThousandClients {
    public static void main(String[] args) throws Throwable {
        int n = 1000;
        if (args[1].equals("nio")) {
            nio(args[0], n);
            return;
        }
        ExecutorService pool = args[1].equals("vt")
                ? (ExecutorService) MethodHandles.publicLookup().findStatic(Executors.class, "newVirtualThreadPerTaskExecutor",
                        MethodType.methodType(ExecutorService.class)).invoke()
                : Executors.newFixedThreadPool(2 * n + 4);
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(0), n);
            pool.submit(() -> {
                while (!server.isClosed()) {
                    Socket s = server.accept();
                    pool.submit(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                        }
                        return null;
                    });
                }
                return null;
            });
            List<Socket> open = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                open.add(new Socket(args[0], server.getLocalPort()));
            }
            List<Future<Integer>> done = new ArrayList<>();
            for (Socket s : open) {
                done.add(pool.submit(() -> {
                    byte[] data = new byte[1024];
                    OutputStream out = s.getOutputStream();
                    out.write(data);
                    s.shutdownOutput();
                    InputStream in = s.getInputStream();
                    int got = in.readAllBytes().length;
                    s.close();
                    return got;
                }));
            }
            long total = 0;
            for (Future<Integer> f : done) {
                total += f.get(60, TimeUnit.SECONDS);
            }
            System.out.println(total == 1024L * n ? "OK " + n + " clients, " + total + " bytes" : "SHORT " + total);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void nio(String host, int n) throws Exception {
        try (java.nio.channels.Selector sel = java.nio.channels.Selector.open();
             java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(0), n);
            server.configureBlocking(false);
            server.register(sel, java.nio.channels.SelectionKey.OP_ACCEPT);
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            List<java.nio.channels.SocketChannel> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open();
                c.configureBlocking(false);
                c.connect(new InetSocketAddress(host, port));
                c.register(sel, java.nio.channels.SelectionKey.OP_CONNECT);
                clients.add(c);
            }
            long echoed = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(4096);
            while (echoed < 1024L * n && System.nanoTime() < deadline) {
                sel.select(1000);
                for (java.nio.channels.SelectionKey k : sel.selectedKeys()) {
                    if (k.isAcceptable()) {
                        java.nio.channels.SocketChannel a;
                        while ((a = server.accept()) != null) {
                            a.configureBlocking(false);
                            a.register(sel, java.nio.channels.SelectionKey.OP_READ, "server");
                        }
                    } else if (k.isConnectable()) {
                        java.nio.channels.SocketChannel c = (java.nio.channels.SocketChannel) k.channel();
                        if (c.finishConnect()) {
                            c.write(java.nio.ByteBuffer.allocate(1024));
                            k.interestOps(java.nio.channels.SelectionKey.OP_READ);
                            k.attach("client");
                        }
                    } else if (k.isReadable()) {
                        java.nio.channels.SocketChannel c = (java.nio.channels.SocketChannel) k.channel();
                        buf.clear();
                        int r = c.read(buf);
                        if (r < 0) {
                            k.cancel();
                            c.close();
                        } else if ("server".equals(k.attachment())) {
                            buf.flip();
                            c.write(buf);
                        } else {
                            echoed += r;
                        }
                    }
                }
                sel.selectedKeys().clear();
            }
            for (java.nio.channels.SocketChannel c : clients) {
                c.close();
            }
            System.out.println(echoed == 1024L * n ? "OK " + n + " clients, " + echoed + " bytes" : "SHORT " + echoed);
        }
    }
}
